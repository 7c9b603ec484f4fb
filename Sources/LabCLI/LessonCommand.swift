import ArgumentParser
import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook

/// `selfsup lesson [N|NAME]`: lists the lessons, or runs one cell by cell.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "List the lessons, or run one (by number or name).",
        discussion: "A failed expectation names the cell and line, and the run exits with status 1.")

    @ArgumentParser.Argument(help: "The lesson's number or name, e.g. 3 or mode-collapse. Omit to list the lessons.")
    var lesson: String?

    @Flag(help: "Wait for Enter after each cell (q then Enter stops).")
    var step = false

    @OptionGroup var options: CommonOptions

    func run() throws {
        let catalog = try LessonCommand.catalog()
        guard let query = lesson else {
            print(LessonCommand.listing(catalog))
            return
        }
        guard let found = catalog.lesson(named: query) else {
            if let text = try? String(contentsOfFile: query, encoding: .utf8) {
                try RunCommand.refuseExercise(text: text, name: query, command: "lesson")
            }
            if let directory = ExerciseArguments.exercisesDirectory,
               let official = ExerciseArgument.official(named: query, in: directory) {
                let key = ExerciseProgress.key(for: official)
                let short = ExerciseArguments.shortName(key)
                printError(Messages.text("selfsup lesson: '{query}' is exercise {key}, not a lesson: `selfsup start {name}` copies it here, `selfsup grade {name}` grades it, `selfsup watch {name}` grades it on every save",
                                         ["query": query, "key": key, "name": short]))
                throw ExitCode(2)
            }
            printError(Messages.text("selfsup lesson: no lesson '{query}'", ["query": query]) + "\n" + LessonCommand.listing(catalog))
            throw ExitCode(2)
        }
        let chosen: Lesson
        do { chosen = try LessonCommand.inChosenLanguage(found, write: LessonRunner.writeToStandardOutput) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let session = options.makeSession()
        let run = LessonCommand.run(chosen, session: session, scope: nil, step: step,
                                    write: LessonRunner.writeToStandardOutput)
        if run.exitStatus != 0 { throw ExitCode(run.exitStatus) }
    }

    /// The lessons in the project's `Lessons` folder.
    static func catalog() throws -> LessonCatalog {
        guard let directory = ProjectPaths.lessons else {
            printError(Messages.text("selfsup: cannot find the Lessons folder (set SELFSUP_ROOT to the project folder)"))
            throw ExitCode(2)
        }
        do {
            return try LessonCatalog(directory: URL(fileURLWithPath: directory))
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }

    static func lessonNames() -> [String] {
        guard let directory = ProjectPaths.lessons,
              let catalog = try? LessonCatalog(directory: URL(fileURLWithPath: directory)) else { return [] }
        return catalog.lessons.map { URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent }
    }

    /// One line per lesson: number, title (the translated twin's, when the chosen language
    /// has one), expected running time.
    static func listing(_ catalog: LessonCatalog) -> String {
        var lines = [Messages.text("Lessons (run one with: selfsup lesson N):")]
        for lesson in catalog.lessons {
            let twin = try? LessonTranslation.twin(of: lesson, in: Messages.language)
            // Titles start with their number ("3. Mode collapse"); others get it in front.
            let title = twin?.title ?? lesson.title ?? lesson.name
            let numbered = title.first?.isNumber == true ? title : (lesson.number.map { "\($0). " } ?? "") + title
            let time = lesson.expectedSeconds.map { "  ~\(Int($0.rounded())) s" } ?? ""
            let quick = lesson.expectedQuickSeconds.map { " (--quick ~\(Int($0.rounded())) s)" } ?? ""
            lines.append("  \(numbered)\(time)\(quick)")
        }
        return lines.joined(separator: "\n")
    }

    /// `lesson` in the language chosen at start-up (`Messages.language`): its translated twin
    /// (`LessonTranslation`), or, when it has none yet, the English lesson after one line
    /// saying so. A twin that is there but malformed throws its located error.
    static func inChosenLanguage(_ lesson: Lesson, language: Language = Messages.language,
                                 write: (String) -> Void) throws(NotebookFormatError) -> Lesson {
        guard language != .en else { return lesson }
        if let twin = try LessonTranslation.twin(of: lesson, in: language) { return twin }
        let number = lesson.number.map(String.init) ?? lesson.name
        write(Messages.text("Lesson {number} is not translated yet; running the English lesson.",
                            ["number": number], language: language) + "\n")
        return lesson
    }

    /// Runs `lesson` in `session` (in `scope`, or the session's globals), cell by cell.
    static func run(_ lesson: Lesson, session: ScriptSession, scope: Scope?, step: Bool,
                    write: @escaping (String) -> Void) -> LessonRun {
        let executor = InterpreterCellExecutor(session: session, scope: scope, colour: session.display.color)
        let options = LessonRunner.Options(width: session.display.width, colour: session.display.color)
        let pause: ((StepPoint) -> StepAction)? = step ? { LessonCommand.waitForEnter($0) } : nil
        let runner = LessonRunner(executor: executor, options: options, write: write, step: pause)
        return REPLHost.cancellingOnInterrupt(session.interpreter) { runner.run(lesson) }
    }

    /// `--step`: waits for Enter between cells; `q` stops.
    static func waitForEnter(_ point: StepPoint) -> StepAction {
        FileHandle.standardOutput.write(Data("\n[cell \(point.finished) of \(point.total) done — Enter for the next, q to stop] ".utf8))
        guard let line = readLine() else { return .quit }
        return line.trimmingCharacters(in: .whitespaces).lowercased() == "q" ? .quit : .proceed
    }

    /// `:lesson [N]` inside the REPL: lists the lessons, or runs lesson N in `scope` (the
    /// REPL gives it a fresh one) and returns it, so the REPL can hand the lesson's
    /// variables to the learner; nil when no lesson ran.
    static func runInREPL(_ argument: String, session: ScriptSession, scope: Scope,
                          write: @escaping (String) -> Void) -> Scope? {
        guard let directory = ProjectPaths.lessons,
              let catalog = try? LessonCatalog(directory: URL(fileURLWithPath: directory)) else {
            write(Messages.text("cannot find the Lessons folder") + "\n")
            return nil
        }
        guard !argument.isEmpty else {
            write(listing(catalog) + "\n")
            return nil
        }
        guard let found = catalog.lesson(named: argument) else {
            write(Messages.text("no lesson '{name}'", ["name": argument]) + "\n" + listing(catalog) + "\n")
            return nil
        }
        let lesson: Lesson
        do { lesson = try inChosenLanguage(found, write: write) } catch {
            write(error.description + "\n")
            return nil
        }
        _ = LessonCommand.run(lesson, session: session, scope: scope, step: false, write: write)
        return scope
    }
}

/// `selfsup export FILE --to md|html|ipynb`: runs a lesson and writes it with its outputs.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Run a lesson and write it with its outputs as Markdown, HTML or a Jupyter notebook.")

    @ArgumentParser.Argument(help: "The lesson file (.lab), or a lesson number or name; an exercise file goes to ipynb unrun, to work on in Jupyter.")
    var file: String

    @Option(help: "The format to write.")
    var to: ExportFormat

    @Option(name: .shortAndLong, help: "Output path (default: next to the lesson, with the format's extension).")
    var output: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let format = to
        let lesson: Lesson
        if FileManager.default.fileExists(atPath: file) {
            // A file of the lab's with a translated twin exports in the chosen language, as
            // `start`, `hint` and `grade` read it.
            let url = LessonTranslation.inLanguage(URL(fileURLWithPath: file), Messages.language)
            do { lesson = try Lesson(contentsOf: url) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        } else if let found = try LessonCommand.catalog().lesson(named: file) {
            do { lesson = try LessonCommand.inChosenLanguage(found, write: { printError($0.trimmingCharacters(in: .newlines)) }) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        } else {
            printError("selfsup export: " + Messages.text("no file or lesson '{file}'", ["file": file]))
            throw ExitCode(2)
        }
        if format == .ipynb && lesson.document.cells.contains(where: { $0.kind == .exercise }) {
            return try ExportCommand.writeExerciseNotebook(lesson.document, to: output)
        }
        let session = options.makeSession(terminal: .plain)
        let run = LessonCommand.run(lesson, session: session, scope: nil, step: false, write: { _ in })
        let url = output.map { URL(fileURLWithPath: $0) } ?? LessonExport.defaultURL(for: lesson.file, format: format)
        do {
            let written = try LessonExport.write(run, as: format, to: url,
                                                  about: RunAbout(seed: options.seed, quick: options.quick))
            for path in written { print(Messages.text("wrote {path}", ["path": path.path])) }
        } catch {
            printError("selfsup export: \(error)")
            throw ExitCode(2)
        }
        if run.exitStatus != 0 {
            printError("selfsup export: " + Messages.text("the lesson failed (its error is in the export)"))
            throw ExitCode(run.exitStatus)
        }
    }
}

extension ExportCommand {
    /// An exercise file as a notebook to work in (not run; `selfsup grade` reads it back).
    static func writeExerciseNotebook(_ document: NotebookDocument, to output: String?) throws {
        let url = output.map { URL(fileURLWithPath: $0) } ?? LessonExport.defaultURL(for: document.file, format: .ipynb)
        do {
            try AtomicFile.write(JupyterExport.exerciseNotebook(document).serialized(), to: url)
        } catch {
            printError("selfsup export: \(error)")
            throw ExitCode(2)
        }
        print(Messages.text("wrote {path}", ["path": url.path]))
    }
}

/// `--to md|html|ipynb`: one closed choice, so help, completion and the error for a wrong
/// value come from the enum (aliases such as `markdown` and `jupyter` are accepted too).
extension ExportFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
