import ArgumentParser
import TensorCore

/// `selfsup bench`: runs the benchmark workloads and prints one line per figure.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the benchmark suite (matmul throughput, op overhead, training steps).")

    @Option(help: "Number of BLAS threads.")
    var threads: Int = 1

    @Option(help: "Run only the workloads whose name contains this text.")
    var only: String?

    @Flag(help: "Small sizes, for a quick check.")
    var quick = false

    func run() throws {
        setBLASThreads(threads)
        print("# selfsup bench, BLAS threads \(blasThreads())")
        for workload in BenchWorkload.all where only.map({ workload.name.contains($0) }) ?? true {
            for line in try workload.run(quick) {
                print(line.formatted)
            }
        }
    }
}
