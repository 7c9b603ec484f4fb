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

    /// The meta commands' messages and errors, `:vars`' sizes and `:help`'s rows in Chinese
    /// under `:lang zh` (names and commands as written), the same English as before under
    /// `:lang en`; `:help` wraps its rows to the width by display width.
    func testTheMetaCommandsSpeakChinese() {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        let lines = [":sed 3", ":frobnicate", ":seed x", ":seed 3", ":time", ":load", ":load /nonexistent/x.lab",
                     "?nt_xnet", "xs = [1, 2]", "s = \"abc\"", ":vars", ":reset"]
        let chinese = replSession([":lang zh"] + lines + ["[1,"], width: 40).text
        for expected in ["未知命令 :sed；你是不是想写 :seed？（:help 列出所有命令）", "未知命令 :frobnicate（:help 列出所有命令）",
                         ":seed 需要一个非负整数，例如 :seed 7", "随机数生成器已重置为种子 3", ":time 需要一个表达式，例如 :time train(enc, data)",
                         ":load 需要一个文件名", "错误：无法读取 '/nonexistent/x.lab'", "没有名为 'nt_xnet' 的内置函数；你是不是想写 'nt_xent'？",
                         "xs  list  （2 项）", "s   string  （3 个字符）", "变量已清除", "错误：输入在未闭合的括号、花括号或字符串中结束"] {
            XCTAssertTrue(chinese.contains(expected), "no \(expected) in\n\(chinese)")
        }
        let english = replSession([":lang en"] + lines + ["[1,"], width: 40).text
        for expected in ["unknown command :sed; did you mean :seed? (:help lists them)", "unknown command :frobnicate (:help lists them)",
                         ":seed needs a non-negative integer, e.g. :seed 7", "random generator reset to seed 3",
                         ":time needs an expression, e.g. :time train(enc, data)", ":load needs a file name",
                         "error: cannot read '/nonexistent/x.lab'", "no builtin named 'nt_xnet'; did you mean 'nt_xent'?",
                         "xs  list  (2 items)", "s   string  (3 characters)", "variables cleared",
                         "error: the input ends inside an open bracket, brace or string"] {
            XCTAssertTrue(english.contains(expected), "no \(expected) in\n\(english)")
        }
        XCTAssertFalse(english.contains { LineBreak.isWide($0) }, english)
        // :help at 40 columns: every line fits, a summary goes on under its column.
        let help = replSession([":lang zh", ":help", ":lang en"], width: 40).text
        let rows = help.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains("元命令："), help)
        for row in rows { XCTAssertLessThanOrEqual(row.displayWidth, 40, row) }
        // The :apropos summary is longer than 40 columns: its second line is indented to the column.
        let apropos = rows.firstIndex { $0.hasPrefix("  :apropos WORD") }
        XCTAssertNotNil(apropos, help)
        if let index = apropos {
            let start = rows[index].range(of: "在内置函数")?.lowerBound
            XCTAssertNotNil(start, help)
            let indent = start.map { rows[index][..<$0].displayWidth } ?? 0
            XCTAssertEqual(rows[index + 1].prefix { $0 == " " }.count, indent, help)
            XCTAssertFalse(rows[index + 1].hasPrefix("  :"), help)
        }
    }

}
