import ArgumentParser
import Foundation
import TensorCore

/// `selfsup bench`: runs the benchmark workloads and prints one line per figure.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the benchmark suite (matmul throughput, op overhead, training steps).")

    @Option(help: "Threads to compute with (convolutions, batch norm, pooling and augmentations split over them). Default 1, as the peer benchmark's.")
    var threads: Int = 1

    @Option(help: "Run only the workloads whose name contains this text.")
    var only: String?

    @Flag(help: "Small sizes, for a quick check.")
    var quick = false

    @Option(help: ArgumentHelp("Where one training step's time goes, by op kind and by phase.",
                               valueName: "workload"))
    var profile: String?

    /// The kernel set OpenBLAS runs and where the choice came from (`BLASKernelChoice`).
    private var blasKernelsLine: String {
        "\(blasCoreName()) (\(BLASKernelChoice.source(environment: ProcessInfo.processInfo.environment)))"
    }

    func run() throws {
        setThreads(threads)
        if let profile {
            let profiled = BenchWorkload.all.filter { $0.profile != nil }
            guard let workload = profiled.first(where: { $0.name == profile }), let run = workload.profile else {
                throw ValidationError("no training-step workload '\(profile)' to profile; one of: "
                                      + profiled.map(\.name).joined(separator: ", "))
            }
            print("# selfsup bench --profile, threads \(computeThreads()), BLAS kernels \(blasKernelsLine)")
            for line in try run(quick).lines(name: workload.name) { print(line) }
            return
        }
        print("# selfsup bench, threads \(computeThreads()), BLAS kernels \(blasKernelsLine)")
        for workload in BenchWorkload.all where only.map({ workload.name.contains($0) }) ?? true {
            for line in try workload.run(quick) {
                print(line.formatted)
            }
        }
    }
}
