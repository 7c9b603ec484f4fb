import ArgumentParser
import Foundation
import LabSupport
import LabBuiltins
import Notebook
import TensorCore

/// The `selfsup` command line: the REPL by default, and one subcommand per task.
public struct SelfSupCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "selfsup",
        abstract: "SelfSup Lab: learn self-supervised learning by doing it.",
        discussion: """
            With no subcommand, opens the REPL. Every command takes --lang en|zh (the \
            language shown to a person; default: SELFSUP_LANG, then the locale, LANG=zh_CN.UTF-8 \
            choosing Chinese). Exit status: \(ExitCode.success.rawValue) success, \
            \(ExitCode.scriptFailed.rawValue) a script error or a failed expectation, \
            \(ExitCode.usage.rawValue) bad usage.
            """,
        version: LabVersion.current,
        subcommands: [REPLCommand.self, RunCommand.self, LessonCommand.self, ExercisesCommand.self,
                      StartCommand.self, GradeCommand.self, HintCommand.self, WatchCommand.self, ResetCommand.self,
                      ExportCommand.self, ExportPyTorchCommand.self, BenchCommand.self, DiagnoseBankCommand.self, DocsCommand.self,
                      KernelCommand.self, AutograderCommand.self],
        defaultSubcommand: REPLCommand.self)
    public init() {}

    /// The executable's entry: starts itself again when `SELFSUP_BLAS_KERNELS` asks for a
    /// kernel set OpenBLAS did not load with (`BLASKernelChoice`), tunes the allocator for
    /// tensor workloads (fewer fresh page faults for the large temporaries of a training
    /// step), then parses and runs.
    public static func launch() {
        BLASRelaunch.applySetting()
        tuneAllocatorForTensors()
        LessonTitles.setSource(byLanguage: { language in
            guard let directory = ProjectPaths.lessons else { return [:] }
            var folder = URL(fileURLWithPath: directory)
            if let twins = LessonTranslation.folderName(language) { folder.appendPathComponent(twins) }
            return (try? LessonCatalog(directory: folder))?.titles ?? [:]
        })
        do {
            var arguments = Array(CommandLine.arguments.dropFirst())
            let option = try LanguageOption.extract(from: &arguments)
            guard let language = Language.resolve(option: option, environment: ProcessInfo.processInfo.environment) else {
                throw ValidationError("--lang must be en or zh, not '\(option ?? "")'")
            }
            Messages.language = language
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            // The argument parser's own usage errors exit 64 (EX_USAGE); the documented
            // status for bad usage is 2, as for the commands' own usage errors.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// `--lang en|zh`, which every command takes: read (and removed) before the arguments are
/// parsed, so it is one option in one place rather than one per command. Arguments after
/// `--` are the script's and are left alone.
enum LanguageOption {
    static func extract(from arguments: inout [String]) throws -> String? {
        var value: String?
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == "--lang" {
                guard index + 1 < arguments.count else { throw ValidationError("--lang needs a value: en or zh") }
                value = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else if argument.hasPrefix("--lang=") {
                value = String(argument.dropFirst("--lang=".count))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        return value
    }
}

/// The exit statuses `selfsup` documents (its help's discussion reads them).
extension ExitCode {
    /// A script error or a failed expectation.
    static let scriptFailed = ExitCode(1)
    /// Bad usage: unknown option, missing or extra argument, a file that is not there.
    static let usage = ExitCode(2)
}

/// Options every subcommand that runs LabScript shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Seed of the session's random generator (runs repeat bit for bit).")
    var seed: UInt64 = BuiltinState.defaultSeed

    @Flag(help: "Small sizes, for a quick run (lessons read it as `quick`).")
    var quick = false

    @Option(help: "Threads to compute with (convolutions, batch norm, pooling and augmentations split over them; results do not depend on it).")
    var threads: Int = LabDefaults.threads
}

/// Defaults shared by the commands.
public enum LabDefaults {
    /// The default seed, which is the session's own (`BuiltinState.defaultSeed`, defined once).
    public static var seed: UInt64 { BuiltinState.defaultSeed }

    /// The default `--threads` for the commands that run LabScript: 1. Results do not
    /// depend on the thread count (`setThreads`), so reproducibility is not the reason;
    /// load is. On an idle 2-core machine two threads run a CNN step 1.4× faster (wall
    /// time), but with the other core busy (`yes > /dev/null`), as on a learner's laptop
    /// doing other work, they made lessons slower than one thread (lesson 7 `--quick`
    /// 8.4 → 9.5 s, lesson 5 `--quick` 6.6 → 7.6 s): every parallel region waits for a
    /// worker the scheduler must first place on a busy core. `--threads N` opts in.
    public static let threads = 1
}
