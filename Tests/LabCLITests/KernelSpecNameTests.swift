import ArgumentParser
import XCTest
@testable import LabCLI

/// `selfsup kernel install/uninstall --name`: only Jupyter's kernel names, so the
/// kernelspec folder is always inside the kernels folder.
final class KernelSpecNameTests: XCTestCase {
    func testJupyterNamesAreAccepted() throws {
        for name in ["labscript", "LabScript-2", "lab_script.v1", "a", "..x", "x.."] {
            XCTAssertTrue(KernelSpecLocation.isValidName(name), name)
            XCTAssertEqual(try KernelInstallCommand.parse(["--name", name]).location.name, name)
        }
    }

    func testNamesThatLeaveTheKernelsFolderAreRefused() {
        for name in ["../../x", "..", ".", "", "a/b", "/tmp/x", "a\\b", "x y", "naïve", "a\nb", "~"] {
            XCTAssertFalse(KernelSpecLocation.isValidName(name), name)
            XCTAssertThrowsError(try KernelInstallCommand.parse(["--name", name])) { error in
                XCTAssertTrue(KernelInstallCommand.message(for: error).contains("not a Jupyter kernel name"), name)
            }
            XCTAssertThrowsError(try KernelUninstallCommand.parse(["--name", name]), name)
        }
    }
}
