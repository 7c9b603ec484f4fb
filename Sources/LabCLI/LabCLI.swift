import ArgumentParser
import LabBuiltins
import TensorCore

/// The `selfsup` command line: the REPL by default, and one subcommand per task.
public struct SelfSupCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "selfsup",
        abstract: "SelfSup Lab: learn self-supervised learning by doing it.",
        discussion: """
            With no subcommand, opens the REPL. Exit status: 0 success, 1 a script error \
            or a failed expectation, 2 bad usage.
            """,
        version: "0.1.0",
        subcommands: [REPLCommand.self, RunCommand.self, LessonCommand.self, GradeCommand.self,
                      ExercisesCommand.self, HintCommand.self, ExportCommand.self, ExportPyTorchCommand.self,
                      BenchCommand.self, DocsCommand.self, KernelCommand.self],
        defaultSubcommand: REPLCommand.self)
    public init() {}

    /// The executable's entry: tunes the allocator for tensor workloads (fewer fresh page
    /// faults for the large temporaries of a training step), lets OpenBLAS use the CPU's
    /// AVX-512 kernels where it does not know the CPU (`selectBLASKernels`), then parses
    /// and runs.
    public static func launch() {
        tuneAllocatorForTensors()
        selectBLASKernels()
        main()
    }
}

/// Options every subcommand that runs LabScript shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Seed of the session's random generator (runs repeat bit for bit).")
    var seed: UInt64 = BuiltinState.defaultSeed

    @Flag(help: "Small sizes, for a quick run (lessons read it as `quick`).")
    var quick = false

    @Option(help: "Threads to compute with (convolutions, large matrix products, batch norm, pooling, augmentations; OpenBLAS itself runs one).")
    var threads: Int = 1
}

/// Defaults shared by the commands.
public enum LabDefaults {
    /// The default seed, which is the session's own (`BuiltinState.defaultSeed`, defined once).
    public static var seed: UInt64 { BuiltinState.defaultSeed }
}
