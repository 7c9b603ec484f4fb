import Foundation
import TensorCore

/// Carries out `BLASKernelChoice` for the executable: the one place that re-launches it.
enum BLASRelaunch {
    /// Called first thing in `main`. When `SELFSUP_BLAS_KERNELS` asks for a kernel set other
    /// than the one OpenBLAS loaded with, replaces this process with a fresh start of the
    /// same executable and arguments, `OPENBLAS_CORETYPE` set (or removed) for its OpenBLAS
    /// to load with. In the re-launched process, puts the user's own `OPENBLAS_CORETYPE`
    /// back, so the programs selfsup starts see the environment the user set.
    static func applySetting() {
        let environment = ProcessInfo.processInfo.environment
        let relaunched = environment[BLASKernelChoice.relaunchedMarker] != nil
        if relaunched {
            if let user = environment[BLASKernelChoice.userCoreTypeMarker] {
                setenv("OPENBLAS_CORETYPE", user, 1)
            } else {
                unsetenv("OPENBLAS_CORETYPE")
            }
            unsetenv(BLASKernelChoice.relaunchedMarker)
            unsetenv(BLASKernelChoice.userCoreTypeMarker)
            return
        }
        let choice = BLASKernelChoice.plan(setting: environment["SELFSUP_BLAS_KERNELS"],
                                           loadedCoreType: environment["OPENBLAS_CORETYPE"],
                                           relaunched: false)
        guard case .relaunch(let coreType) = choice else { return }
        setenv(BLASKernelChoice.relaunchedMarker, "1", 1)
        if let user = environment["OPENBLAS_CORETYPE"] {
            setenv(BLASKernelChoice.userCoreTypeMarker, user, 1)
        }
        if let coreType { setenv("OPENBLAS_CORETYPE", coreType, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the exec failed: say so, and go on with what OpenBLAS loaded.
        let reason = String(cString: strerror(errno))
        if let user = environment["OPENBLAS_CORETYPE"] { setenv("OPENBLAS_CORETYPE", user, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        unsetenv(BLASKernelChoice.relaunchedMarker)
        unsetenv(BLASKernelChoice.userCoreTypeMarker)
        FileHandle.standardError.write(Data(
            "selfsup: SELFSUP_BLAS_KERNELS=\(environment["SELFSUP_BLAS_KERNELS"] ?? "") not applied (could not restart: \(reason)); using OpenBLAS's own kernel set \(blasCoreName())\n".utf8))
    }
}
