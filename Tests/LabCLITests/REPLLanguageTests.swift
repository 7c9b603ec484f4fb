import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook
import XCTest
@testable import LabCLI

final class REPLLanguageTests: XCTestCase {
    /// The REPL's `:lang` shows and changes the language, in the new language.
    func testTheREPLsLangCommandChangesTheLanguage() {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        let host = REPLHost(session: ScriptSession(output: BufferOutputSink()))
        var text = ""
        let repl = REPL(host: host, input: ScriptedLines([":lang", ":lang zh", ":lang", ":lang fr", ":lang en"])) { text += $0 }
        repl.run(showWelcome: false)
        XCTAssertEqual(text, """
            The language is en; :lang en or :lang zh changes it.
            课程和消息现在以中文显示。
            当前语言为 zh；用 :lang en 或 :lang zh 切换。
            :lang 只接受 en 或 zh，而不是“fr”
            Lessons and messages are now in English.

            """)
        XCTAssertEqual(Messages.language, .en)
    }

}
