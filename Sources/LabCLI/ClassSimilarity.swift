import Foundation
import LabSupport
import Notebook

/// The similarity section of a class's summary: one `SimilarityReport` per exercise, over
/// the hand-ins that were read and graded (in full or until a limit stopped them). A
/// hand-in that was refused, crashed or missing has no cells to compare; one the report
/// cannot read is left out of it, never failing the class run.
enum ClassSimilarity {
    static func sections(_ results: ClassResults) -> [ClassSummarySection] {
        var byOfficial: [String: [(student: String, url: URL)]] = [:]
        for record in results.records where record.status == .graded || record.status == .stopped {
            guard let official = record.officialFile, let handIn = record.handIn else { continue }
            byOfficial[official, default: []].append((record.student, URL(fileURLWithPath: handIn)))
        }
        var sections: [ClassSummarySection] = []
        for official in byOfficial.keys.sorted() {
            let handIns = byOfficial[official]!.sorted { $0.student < $1.student }
            guard handIns.count >= 2, let exercise = try? ExerciseFile(contentsOf: URL(fileURLWithPath: official)) else { continue }
            var readable: [SimilaritySubmission] = []
            for handIn in handIns {
                if let submission = try? SimilaritySubmission.read(handIn: handIn.url, official: exercise, student: handIn.student) {
                    readable.append(submission)
                }
            }
            let report = SimilarityReport.analyse(readable, starter: SimilarityReport.cells(of: exercise))
            let name = URL(fileURLWithPath: official).deletingPathExtension().lastPathComponent
            sections.append(ClassSummarySection(title: Messages.text("Similarity: {exercise}", ["exercise": name]),
                                                markdown: report.markdown(heading: false), html: report.html(heading: false)))
        }
        return sections
    }
}
