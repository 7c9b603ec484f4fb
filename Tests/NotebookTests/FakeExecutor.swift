import Display
@testable import Notebook

/// A stand-in for the interpreter: each line of a cell is a command.
///
///     print TEXT        a text chunk "TEXT\n"
///     progress          "50%\r" then "100%\n" (a progress bar)
///     plot TITLE        a figure with a small SVG
///     fail MESSAGE      stops the cell: a diagnostic and a failure at this line
///
/// Anything else does nothing. It records every call, so tests can check what ran and where.
final class FakeExecutor: CellExecutor {
    var calls: [(code: String, file: String, firstLine: Int)] = []
    var variables: [String: String] = [:]

    func execute(code: String, file: String, firstLine: Int) -> CellResult {
        calls.append((code, file, firstLine))
        var outputs: [CellOutput] = []
        for (k, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard let command = words.first else { continue }
            let argument = words.count > 1 ? words[1] : ""
            switch command {
            case "print":
                outputs.append(.text(argument + "\n"))
            case "progress":
                outputs.append(.text("50%\r"))
                outputs.append(.text("\u{1B}[32m100%\u{1B}[0m\n"))
            case "plot":
                let svg = #"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><title>"#
                    + xmlEscape(argument) + #"</title><rect x="1" y="1" width="30" height="10" fill="steelblue"/></svg>"#
                outputs.append(.image(Figure(title: argument, svg: svg, terminalText: "[plot: \(argument)]")))
            case "fail":
                let lineNumber = firstLine + k
                outputs.append(.error("\(file):\(lineNumber):1: error: \(argument)\n  \(line)\n  ^"))
                return CellResult(outputs: outputs, failure: CellFailure(line: lineNumber, message: argument))
            default:
                break
            }
        }
        return CellResult(outputs: outputs)
    }
}

let fakeLessonText = """
# %% [markdown] time=30s
# # 0. A *tour*
# Prose with `code` & <angle> brackets.

# %%
print hello
progress

# %% [hint]
# Not shown in a lesson run.

# %%
plot Loss over "training"
print done

# %% [markdown]
# The end.
"""
