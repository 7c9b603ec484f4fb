import ArgumentParser

/// The `selfsup` command line.
public struct SelfSupCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "selfsup",
        abstract: "SelfSup Lab: learn self-supervised learning by doing it.",
        version: "0.1.0",
        subcommands: [BenchCommand.self])
    public init() {}
    public func run() throws {
        print("SelfSup Lab 0.1.0")
    }
}
