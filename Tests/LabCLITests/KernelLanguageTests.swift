import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook
import XCTest
@testable import LabCLI

final class KernelLanguageTests: XCTestCase {
    /// `selfsup kernel install --lang zh`: a second kernelspec beside the English one, whose
    /// kernel runs with `--lang zh`.
    func testTheChineseKernelspecIsASecondOneThatPassesTheLanguage() throws {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        XCTAssertEqual(try KernelInstallCommand.parse([]).location.name, "labscript")
        Messages.language = .zh
        XCTAssertEqual(try KernelInstallCommand.parse([]).location.name, "labscript-zh")
        XCTAssertEqual(try KernelInstallCommand.parse(["--name", "mine"]).location.name, "mine")
        let options = try CommonOptions.parse([])
        let chinese = KernelSpecFile.json(executable: "/bin/selfsup", displayName: "LabScript（中文）", options: options,
                                          language: .zh, docsURL: "file:///docs.md", root: nil)
        let spec = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(chinese.utf8)) as? [String: Any])
        let argv = try XCTUnwrap(spec["argv"] as? [String])
        XCTAssertEqual(Array(argv.suffix(2)), ["--lang", "zh"])
        XCTAssertEqual(spec["display_name"] as? String, "LabScript（中文）")
        let english = KernelSpecFile.json(executable: "/bin/selfsup", displayName: "LabScript (SelfSup Lab)", options: options,
                                          language: .en, docsURL: "file:///docs.md", root: nil)
        XCTAssertFalse(english.contains("--lang"))
    }

}
