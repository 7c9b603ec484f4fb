/// "Did you mean" for `help` of an unknown name: the closest builtin name by edit
/// distance, if it is close enough (a third of the name's length; 2 for names of 4 to 8
/// letters, so a swapped pair `rleu` still finds `relu`; 1 for shorter names).
enum NameSuggestion {
    static func hint(for name: String, in candidates: [String]) -> String {
        let limit = name.count >= 4 ? max(2, name.count / 3) : 1
        let scored = candidates.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= limit }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of two
    /// neighbouring letters as 1 each (optimal string alignment), so `rleu` is 1 from `relu`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
