import LabSupport
/// "Did you mean" suggestions, by edit distance (Levenshtein plus adjacent swaps).
public enum Suggestions {
    /// The closest candidate within a distance that grows with the name's length
    /// (1 for names up to 4 characters, then up to 3), or nil.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let limit = name.count <= 4 ? 1 : min(3, name.count / 3 + 1)
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            if candidate.lowercased() == name.lowercased() { return candidate }
            if abs(candidate.count - name.count) > limit { continue }
            let distance = editDistance(name, candidate)
            guard distance <= limit else { continue }
            if let (bestName, bestDistance) = best, bestDistance < distance || (bestDistance == distance && bestName < candidate) {
                continue
            }
            best = (candidate, distance)
        }
        return best?.0
    }

    /// "; did you mean 'x'?" or "".
    /// A diagnostic about `name` in the chosen language, translated whole (`Messages.text`):
    /// `suggesting(closest)` when a candidate is close enough, else `plain`. Callers pass
    /// both sentences as literal keys of `Messages.text` calls, e.g. "undefined name '{name}'" and
    /// "undefined name '{name}'; did you mean '{suggestion}'?".
    public static func message(for name: String, in candidates: some Sequence<String>, plain: () -> String,
                               suggesting: (String) -> String) -> String {
        closest(to: name, in: candidates).map(suggesting) ?? plain()
    }

    public static func hint(for name: String, in candidates: some Sequence<String>) -> String {
        closest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of two
    /// adjacent characters as one edit each (optimal string alignment), so the common
    /// typo `rleu` is one edit from `relu`.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
