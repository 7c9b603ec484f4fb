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
        if environment[BLASKernelChoice.relaunchedMarker] != nil {
            restore(userCoreType: environment[BLASKernelChoice.userCoreTypeMarker])
            return
        }
        let choice = BLASKernelChoice.plan(setting: environment["SELFSUP_BLAS_KERNELS"],
                                           loadedCoreType: environment["OPENBLAS_CORETYPE"],
                                           relaunched: false)
        guard case .relaunch(let coreType) = choice else { return }
        set(BLASKernelChoice.relaunchedMarker, "1")
        set(BLASKernelChoice.userCoreTypeMarker, environment["OPENBLAS_CORETYPE"])
        set("OPENBLAS_CORETYPE", coreType)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the exec failed: say so, and go on with what OpenBLAS loaded.
        let reason = String(cString: strerror(errno))
        restore(userCoreType: environment["OPENBLAS_CORETYPE"])
        FileHandle.standardError.write(Data(
            "selfsup: SELFSUP_BLAS_KERNELS=\(environment["SELFSUP_BLAS_KERNELS"] ?? "") not applied (could not restart: \(reason)); using OpenBLAS's own kernel set \(blasCoreName())\n".utf8))
    }

    /// The user's `OPENBLAS_CORETYPE` (nil: unset) back in the environment, the markers gone.
    private static func restore(userCoreType: String?) {
        set("OPENBLAS_CORETYPE", userCoreType)
        set(BLASKernelChoice.relaunchedMarker, nil)
        set(BLASKernelChoice.userCoreTypeMarker, nil)
    }

    /// Sets an environment variable, or removes it for nil.
    private static func set(_ name: String, _ value: String?) {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
}
