import Foundation

extension Encodable {
    /// The value as the grader's JSON files hold it: keys sorted, indented, slashes as they
    /// are, ending with a newline (`grading.json`, Gradescope's `results.json`). Encoding the
    /// grader's plain numbers and strings cannot fail; `{}` stands in if it ever did.
    func sortedJSONText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
