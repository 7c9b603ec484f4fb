import ArgumentParser
import Display
import Foundation
import LabBuiltins
import SelfSupervised

/// `selfsup diagnose-bank`: runs the bank of broken and healthy runs (`DiagnosisBank`) over
/// seeds and prints, per (case, seed), the verdict `diagnose` gives; then the confusion table
/// (expected verdict against given), the share right, false alarms on healthy runs, how
/// often the live monitor's verdict from the first third of the epochs already agreed, and
/// each broken case's cause and fix as `diagnose` prints them.
struct DiagnoseBankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose-bank",
        abstract: "Score diagnose() on the bank of broken and healthy runs: confusion table, causes and fixes.")

    @Option(help: "Seeds: numbers and ranges, e.g. 20-24,30-34.")
    var seeds = "20-24,30-34"

    @Option(name: .customLong("case"), help: "Run only the cases whose name contains this text.")
    var only: String?

    @Flag(help: "Also print, per epoch of each run, its mean loss, each output's mean share and RankMe, and the verdict of the epochs so far.")
    var trace = false

    /// One line per epoch of `outcome`: what the live monitor saw (the `--trace` output).
    static func traceLines(_ outcome: DiagnosisBank.Outcome) -> [String] {
        let history = outcome.history
        func meters(_ s: OutputStatistics?) -> String {
            guard let s else { return "-" }
            return String(format: "share %.4f rank %.2f", s.meanShare, s.rankMe)
        }
        let outputs = history.measuredOutputs
        var lines = ["  epoch 0: " + outputs.map { "\($0.rawValue) \(meters(history.initialOutputs[$0]))" }.joined(separator: "; ")]
        for (k, record) in history.epochs.enumerated() {
            let verdict = k < outcome.verdictByEpoch.count ? outcome.verdictByEpoch[k].rawValue : "?"
            lines.append("  epoch \(k + 1): loss \(String(format: "%.6g", record.meanLoss)); "
                         + outputs.map { "\($0.rawValue) \(meters(record.outputs[$0]))" }.joined(separator: "; ") + " => \(verdict)")
        }
        return lines
    }

    static func parseSeeds(_ text: String) throws -> [UInt64] {
        var seeds: [UInt64] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard let low = bounds.first ?? nil, let high = bounds.count == 2 ? bounds[1] : low, low <= high, high - low < 1000 else {
                throw ValidationError("--seeds: '\(part)' is not a number or a range low-high")
            }
            seeds += Array(low...high)
        }
        guard !seeds.isEmpty else { throw ValidationError("--seeds: no seed given") }
        return seeds
    }

    func run() throws {
        let seeds = try Self.parseSeeds(self.seeds)
        let cases = DiagnosisBank.all.filter { only == nil || $0.name.contains(only!) }
        guard !cases.isEmpty else { throw ValidationError("--case: no case of the bank contains '\(only ?? "")'") }
        let verdicts = CollapseVerdict.allCases
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: verdicts.count), count: verdicts.count)
        var (right, total, falseAlarms, healthyRuns, earlyAgree, brokenRuns) = (0, 0, 0, 0, 0, 0)
        var examples: [String: DiagnosisBank.Outcome] = [:]
        let started = Date()
        for bankCase in cases {
            for seed in seeds {
                let outcome = try DiagnosisBank.run(bankCase, seed: seed)
                let d = outcome.diagnosis
                let whereRight = bankCase.expectedWhere == nil || bankCase.expectedWhere == d.location
                let ok = d.verdict == bankCase.expected && whereRight
                total += 1
                if ok { right += 1 }
                confusion[verdicts.firstIndex(of: bankCase.expected)!][verdicts.firstIndex(of: d.verdict)!] += 1
                if bankCase.expected == .healthy {
                    healthyRuns += 1
                    if d.verdict != .healthy { falseAlarms += 1 }
                } else {
                    brokenRuns += 1
                    if outcome.early == bankCase.expected { earlyAgree += 1 }
                }
                if examples[bankCase.name] == nil || !ok { examples[bankCase.name] = outcome }
                print("\(ok ? "ok  " : "MISS") \(bankCase.name) seed \(seed): \(d.verdict.rawValue)\(d.location.map { " at \($0.rawValue)" } ?? "")"
                      + " (expected \(bankCase.expected.rawValue)\(bankCase.expectedWhere.map { " at \($0.rawValue)" } ?? "")); first third: \(outcome.early.rawValue)")
                if trace { Self.traceLines(outcome).forEach { print($0) } }
            }
        }
        let rows = verdicts.enumerated().map { i, v in [TableCell.text(v.rawValue)] + confusion[i].map { TableCell.number(Double($0)) } }
        print("")
        print(try table(columns: ["expected \\ given"] + verdicts.map(\.rawValue), rows: rows, title: "diagnose() on the bank").render())
        print("")
        print("right (verdict and where): \(right) of \(total) = \(String(format: "%.1f", 100 * Double(right) / Double(max(total, 1)))) %")
        print("false alarms on healthy runs: \(falseAlarms) of \(healthyRuns)")
        print("broken runs whose verdict the first third of the epochs already gave: \(earlyAgree) of \(brokenRuns)")
        print("cases: \(cases.count) (\(cases.filter(\.disagrees).count) where configuration and outcome disagree); seeds: \(seeds.map(String.init).joined(separator: ",")); "
              + "\(String(format: "%.0f", Date().timeIntervalSince(started))) s")
        print("")
        for bankCase in cases where bankCase.expected != .healthy || bankCase.disagrees {
            guard let outcome = examples[bankCase.name] else { continue }
            let d = outcome.diagnosis
            print("\(bankCase.name) (seed \(outcome.seed)): \(d.verdict.rawValue)\(d.location.map { " at \($0.rawValue)" } ?? "")")
            print("  cause: \(DiagnosisValue.cause(d))")
            if !d.fix.isEmpty { print("  fix: \(d.fix.joined(separator: " or "))\(d.lesson.map { " (lesson \($0))" } ?? "")") }
        }
    }
}
