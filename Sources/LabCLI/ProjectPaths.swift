import Foundation

/// Where the lessons and exercises are: `$SELFSUP_ROOT/Lessons` (set by `Scripts/selfsup`),
/// else the nearest `Lessons` folder in the working directory or above it, else next to
/// the executable's package checkout.
enum ProjectPaths {
    static var lessons: String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let root = ProcessInfo.processInfo.environment["SELFSUP_ROOT"] {
            candidates.append(root + "/Lessons")
        }
        var dir = URL(fileURLWithPath: fm.currentDirectoryPath)
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("Lessons").path)
            dir.deleteLastPathComponent()
        }
        // The package checkout the executable was built in: `.build/release/selfsup` is a
        // link into `.build/<triple>/release/`, so the root is three or four levels up.
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            folder.deleteLastPathComponent()
            candidates.append(folder.appendingPathComponent("Lessons").path)
        }
        var isDirectory: ObjCBool = false
        return candidates.first { fm.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
    }

    static var exercises: String? { lessons.map { $0 + "/Exercises" } }

    /// The learner's own files (history, exercise progress): `~/.selfsup`.
    static var userDirectory: String {
        let home = ProcessInfo.processInfo.environment["SELFSUP_HOME"]
            ?? (ProcessInfo.processInfo.environment["HOME"].map { $0 + "/.selfsup" } ?? ".selfsup")
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return home
    }
}
