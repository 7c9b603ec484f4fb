import ArgumentParser
import Foundation
import LabBuiltins
import LabSupport
import LabScript
import SelfSupervised

/// `selfsup export-pytorch FILE.lab -o DIR`: runs the script up to its experiment, the
/// last `train(...)` call in the file (or the one on `--line`), and at that call writes the
/// experiment as a PyTorch + lightly folder instead of training (`export_pytorch` with the
/// call's own arguments); then it stops. If the call sits in a function or loop, its first
/// run is the one exported. `--list-methods` prints the methods the export can write (the
/// method table's exportable entries), for scripts such as Scripts/test-pytorch.
struct ExportPyTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-pytorch",
        abstract: "Write a script's experiment (its last train call) as a PyTorch + lightly folder: train.py, weights, data, README.",
        discussion: "The script runs up to that call, which is exported with its own arguments and session state instead of being trained. "
            + "Exit status 0 on success, 1 on a script error, 2 on bad usage.")

    @ArgumentParser.Argument(help: "The script or lesson.")
    var file: String?

    @Option(name: .shortAndLong, help: "The folder to write.")
    var output: String?

    @Flag(help: "Print the methods the export can write, one a line, and exit (no script needed).")
    var listMethods = false

    @Option(help: "Export the train call on this line instead of the last one in the file.")
    var line: Int?

    @Option(help: "Also run the lab's training for this many steps and write reference.safetensors (for train.py --check-reference).")
    var referenceSteps: Int = 0

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard !listMethods else { return }
        if file == nil { throw ValidationError("Missing expected argument '<file>'") }
        if output == nil { throw ValidationError("Missing expected argument '--output <output>'") }
    }

    func run() throws {
        if listMethods {
            TrainingMethods.exportable.forEach { print($0.name) }
            return
        }
        guard let file, let output else { throw ExitCode(2) }   // checked by validate()
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            printError("selfsup export-pytorch: " + Messages.text("cannot read '{file}'", ["file": file]))
            throw ExitCode(2)
        }
        let parsed = Parser.parse(SourceFile(name: file, text: text))
        if !parsed.diagnostics.isEmpty {
            reportDiagnostics(parsed.diagnostics, colour: false)
            throw ExitCode(1)
        }
        let calls = TrainCallFinder.lines(in: parsed.statements)
        guard let last = calls.last else {
            printError("selfsup export-pytorch: " + Messages.text("{file} has no train(...) call to export", ["file": file]))
            throw ExitCode(2)
        }
        let target = line ?? last
        guard calls.contains(target) else {
            let lines = calls.map(String.init).joined(separator: ", ")
            printError("selfsup export-pytorch: " + (calls.count > 1
                ? Messages.text("line {line} of {file} has no train(...) call; train is called on lines {lines}",
                                ["line": String(target), "file": file, "lines": lines])
                : Messages.text("line {line} of {file} has no train(...) call; train is called on line {lines}",
                                ["line": String(target), "file": file, "lines": lines])))
            throw ExitCode(2)
        }
        guard referenceSteps >= 0 else {
            printError("selfsup export-pytorch: " + Messages.text("--reference-steps must be ≥ 0"))
            throw ExitCode(2)
        }
        let session = options.makeSession().context
        guard let train = session.registry.function(named: "train") else {
            printError("selfsup export-pytorch: " + Messages.text("this build has no train builtin"))
            throw ExitCode(2)
        }
        var summary: String?
        let directory = output, steps = referenceSteps
        session.interpreter.register(NativeFunction(name: train.name, parameters: train.parameters, summary: train.summary,
                                                    details: train.details, example: train.example, lesson: train.lesson) { args, context in
            guard summary == nil, let range = context.range, range.file.location(of: range.start).line == target else {
                return try train.implementation(args, context)
            }
            summary = try session.exportPyTorch(args, to: directory, referenceSteps: steps, context: context)
            throw RuntimeError(.cancelled, "the experiment is exported; the script stops here", at: context.range)
        })
        let result = session.run(text, name: file)
        if let summary {
            print(summary)
            print(ExportPyTorchCommand.nextStep(directory: directory))
            return
        }
        if case .failure(let diagnostics) = result {
            reportDiagnostics(diagnostics, colour: session.display.color)
            throw ExitCode(1)
        }
        printError("selfsup export-pytorch: " + Messages.text("the train call on line {line} never ran", ["line": String(target)]))
        throw ExitCode(1)
    }
}

extension ExportPyTorchCommand {
    /// The command line to run next, the folder shell-quoted: whatever the folder's name
    /// (spaces, quotes, `$(…)`, `;`, a leading `-`), pasting the line runs train.py in it
    /// and nothing else.
    static func nextStep(directory: String) -> String {
        let path = directory.hasPrefix("-") ? "./" + directory : directory
        return Messages.text("next: {command}   (README.md has the rest)",
                             ["command": "cd \(shellQuoted(path)) && python train.py --epochs 1 --out weights.safetensors"])
    }
}

/// `text` as one POSIX shell word: in single quotes, each `'` written as `'\''`. Nothing
/// inside single quotes is special to the shell.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The lines of every call `train(...)` in a parsed script, in order, without duplicates.
enum TrainCallFinder {
    static func lines(in statements: [Stmt]) -> [Int] {
        var found: [Int] = []
        func expr(_ e: Expr) {
            switch e.kind {
            case .number, .string, .bool, .nilLiteral, .variable: break
            case .list(let items): items.forEach(expr)
            case .record(let entries): entries.forEach { expr($0.value) }
            case .negate(let x), .not(let x), .field(let x, _): expr(x)
            case .binary(_, let a, let b), .logical(_, let a, let b), .range(let a, let b): expr(a); expr(b)
            case .call(let callee, let arguments):
                if case .variable("train") = callee.kind {
                    let line = e.range.file.location(of: e.range.start).line
                    if !found.contains(line) { found.append(line) }
                }
                expr(callee)
                arguments.forEach { expr($0.value) }
            case .index(let x, let components):
                expr(x)
                for c in components {
                    switch c {
                    case .single(let i): expr(i)
                    case .slice(let a, let b, let s): [a, b, s].compactMap { $0 }.forEach(expr)
                    }
                }
            case .function(let decl): decl.parameters.compactMap(\.defaultValue).forEach(expr); block(decl.body)
            }
        }
        func block(_ body: [Stmt]) {
            for s in body {
                switch s.kind {
                case .expression(let e): expr(e)
                case .assign(let target, let value): expr(target); expr(value)
                case .function(let decl): decl.parameters.compactMap(\.defaultValue).forEach(expr); block(decl.body)
                case .returnValue(let e): if let e { expr(e) }
                case .ifElse(let c, let then, let otherwise): expr(c); block(then); block(otherwise ?? [])
                case .forIn(_, let sequence, let body): expr(sequence); block(body)
                case .whileLoop(let c, let body): expr(c); block(body)
                case .breakLoop, .continueLoop: break
                }
            }
        }
        block(statements)
        return found.sorted()
    }
}
