import Foundation
import XCTest

/// The repository stands on its own: no tracked text file names a file the repository
/// does not have, or a path that exists only on a development machine. A user who clones
/// the project meets no dead reference.
///
/// Which files: `git ls-files --cached --others --exclude-standard` (what a commit would
/// hold); without git or a `.git`, a walk of the tree that skips `.git`, `.build*`,
/// `.swiftpm`, virtual environments and `__pycache__`. Of those, the text files: Markdown,
/// Swift, LabScript, Python, shell, text, JSON, YAML, TOML, notebooks, C headers and
/// module maps, and files without an extension (scripts), unless they hold a NUL byte.
///
/// What is checked, line by line (`ReferenceRules`; each rule has its own test below):
///
/// 1. Machine paths. An absolute path is a token that starts with `/` and a top-level
///    folder of a Unix or macOS system (`ReferenceRules.systemRoots`); it must lie under
///    `ReferenceRules.allowedAbsolute`: folders every user's system has (`/tmp`, where
///    examples write, `/dev`, `/proc`, `/usr`, `/bin`, `/sbin`, `/lib`, `/etc`),
///    Gradescope's `/autograder`, Homebrew's `/opt/homebrew` and Jupyter's macOS folder
///    `/Library/Jupyter` (Jupyter's Linux folders are under `/usr`). So the home and work
///    folders of a machine (the roots named work, workspace, root, home, Users, mnt, srv,
///    Volumes, private, var, scratch) and any other folder under opt are refused. A path
///    that starts with a tilde must be one the program or Jupyter uses: `~/.selfsup`,
///    `~/.local/share/jupyter`, `~/Library/Jupyter`. A path that starts with a folder
///    named `shared` (or reaches one through parent folders) is always refused: that was
///    where a development checkout kept its design notes, outside the repository.
///    A token with no such root (`/span` of an HTML close tag, a `/missing` made up by a
///    test) is not a path for this rule.
/// 2. Repository paths. A token that starts with a top-level folder of the repository
///    (`Sources/`, `Tests/`, `Lessons/`, `Scripts/`, `Bench/`, `.ci/`, and any other the
///    listing has) names a file or folder the listing must hold. A token that ends in a
///    character other than a letter, digit or `/` (`Builtins+`) is a name prefix, and some
///    listed path must start with it.
/// 3. Top-level documents. A bare all-capital Markdown name (`README.md`) must exist beside
///    the file that names it or at the top of the repository.
/// 4. Markdown links. In Markdown and LabScript files (lesson prose is Markdown), the
///    target of `[text](target)` that is relative (no scheme, not `#…`, `/…` or `~…`) must
///    exist, resolved from the file's folder, without leaving the repository.
///
/// Placeholders are not paths: rules 2–4 skip a token that holds any of `< > * ? { } [ ]
/// $ \ | %`, `…` or `...`, or a placeholder word (`NN`, `N`, `X`, `NAME`, `MISTAKE`, `FILE`,
/// `PATH`, `MODULE`, standing alone between non-letters): `Lessons/NN-name.lab`,
/// `Tests/<Module>Tests`, `Sources/LabBuiltins/Builtins+X.swift`.
final class StandaloneRepositoryTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testNoTrackedFileNamesAMissingFileOrAMachinePath() throws {
        let listing = RepositoryListing(root: Self.root)
        XCTAssertTrue(listing.files.contains("Package.swift"), "the listing (\(listing.source)) misses Package.swift")
        let rules = ReferenceRules(listing: listing)
        var problems: [String] = []
        var checked = 0
        for path in listing.files.sorted() where RepositoryListing.isTextCandidate(path) {
            guard let text = listing.text(of: path) else { continue }
            checked += 1
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for problem in rules.problems(in: String(line), file: path) {
                    problems.append("\(path):\(index + 1): \(problem)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 100, "too few text files checked (listing: \(listing.source))")
        for problem in problems { print(problem) }
        XCTAssertTrue(problems.isEmpty, "\(problems.count) dead references or machine paths "
                      + "(listing: \(listing.source)):\n" + problems.joined(separator: "\n"))
    }

    // MARK: each rule flags what it should, and no more

    /// A listing of a few made-up files, to try the rules on.
    private func madeUpRules() -> ReferenceRules {
        ReferenceRules(listing: RepositoryListing(files: [
            "README.md", "ARCHITECTURE.md", "Package.swift", "Bench/torch_peer.py", "Bench/README.md",
            "Lessons/07-positives-only.lab", "Lessons/Exercises/README.md", "Lessons/Exercises/01-backward.lab",
            "Sources/LabBuiltins/Builtins+Math.swift", "Tests/LabCLITests/SingleSourceTests.swift", ".ci/run",
        ]))
    }

    func testMachinePathsAreRefusedOutsideTheAllowList() {
        let rules = madeUpRules()
        // Built from parts, so that this file holds no machine path itself.
        let home = "/" + "home/ada/selfsup/Lessons/03-mode-collapse.lab"
        let work = "/" + "work/peer-venv/bin/python make_golden.py"
        let users = "(/" + "Users/ada/notes.txt)"
        let sibling = "`../" + "sha" + "red/bench/torch_peer.py`"
        let opt = "/" + "opt/swift/usr/bin/swift"
        let tilde = "~" + "/" + "work/selfsup"
        let shared = "see " + "sha" + "red/data/digits.csv.gz"
        for line in [home, work, users, sibling, opt, tilde, shared] {
            XCTAssertEqual(rules.problems(in: line, file: "README.md").count, 1, line)
        }
        for line in ["save(a, \"/tmp/selfsup-example.safetensors\")", "#!/usr/bin/env bash", "2>/dev/null",
                     "`~/.selfsup/progress.json`", "~/.local/share/jupyter.", "/usr/local/share/jupyter/kernels",
                     "/proc/self/exe", "exec /bin/sh", "/autograder/results/results.json", "/opt/homebrew/lib",
                     "</span></code>", "load(x, \"/etc/passwd\")", "https://github.com/home/x", "root + \"/Lessons\"",
                     "~/Library/Jupyter/kernels", "a file: /nonexistent/dir/00-x.lab"] {
            XCTAssertEqual(rules.problems(in: line, file: "README.md"), [], line)
        }
    }

    func testRepositoryPathsMustExist() {
        let rules = madeUpRules()
        XCTAssertEqual(rules.problems(in: "see `Bench/torch_peer.py`.", file: "README.md"), [])
        XCTAssertEqual(rules.problems(in: "see Lessons/Exercises/, and .ci/run", file: "README.md"), [])
        XCTAssertEqual(rules.problems(in: "`Bench/torch_peer.py --threads 1`", file: "README.md"), [])
        XCTAssertEqual(rules.problems(in: "hasPrefix(\"Sources/LabBuiltins/Builtins+\")", file: "x.swift"), [])
        for placeholder in ["`Lessons/NN-name.lab`", "`Tests/<Module>Tests`", "Sources/LabBuiltins/Builtins+X.swift",
                            "Tests/NotebookTests/Grader*Tests.swift", "\"Lessons/\\(name).lab\"", "Sources/…"] {
            XCTAssertEqual(rules.problems(in: placeholder, file: "README.md"), [], placeholder)
        }
        // The missing paths are built from parts, so that this file names none itself.
        XCTAssertEqual(rules.problems(in: "`Ben" + "ch/torch_peer2.py`", file: "README.md").count, 1)
        XCTAssertEqual(rules.problems(in: "(Sour" + "ces/LabCLI/Bench/Missing.swift)", file: "README.md").count, 1)
        XCTAssertEqual(rules.problems(in: "hasPrefix(\"Sour" + "ces/LabBuiltins/Nothing+\")", file: "x.swift").count, 1)
    }

    func testTopLevelDocumentsMustExist() {
        let rules = madeUpRules()
        XCTAssertEqual(rules.problems(in: "as ARCHITECTURE.md says", file: "Sources/LabCLI/X.swift"), [])
        XCTAssertEqual(rules.problems(in: "see README.md", file: "Lessons/Exercises/01-backward.lab"), [])
        XCTAssertEqual(rules.problems(in: "(DESIGN" + ".md's example)", file: "x.lab").count, 1)
        XCTAssertEqual(rules.problems(in: "the pilot (PILOT" + ".md: pitfall 1)", file: "Lessons/07-positives-only.lab").count, 1)
        XCTAssertEqual(rules.problems(in: "Resources/PROVENANCE.md", file: "Package.swift"), [],
                       "a path below a folder is not a bare name")
    }

    func testRelativeMarkdownLinksMustExist() {
        let rules = madeUpRules()
        XCTAssertEqual(rules.problems(in: "[the peer](Bench/torch_peer.py)", file: "README.md"), [])
        XCTAssertEqual(rules.problems(in: "[lesson 7](../07-positives-only.lab#vicreg)", file: "Lessons/Exercises/README.md"), [])
        XCTAssertEqual(rules.problems(in: "[a](https://x.org/a.md) [b](#top) [c](mailto:a@b.c)", file: "README.md"), [])
        XCTAssertEqual(rules.problems(in: "[design](docs/DESIGN.txt)", file: "README.md").count, 1)
        XCTAssertEqual(rules.problems(in: "# [notes](../notes.md)", file: "Lessons/07-positives-only.lab").count, 1)
        XCTAssertEqual(rules.problems(in: "[up](../../../x.md)", file: "Lessons/Exercises/README.md").count, 1)
        XCTAssertEqual(rules.problems(in: "\"[x](../notes.md)\"", file: "LinkPolicyTests.swift"), [],
                       "links are looked for in Markdown and LabScript files only")
    }

    func testTheListingFallsBackToWalkingTheTree() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("selfsup-standalone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for path in ["README.md", "Lib/a.swift", ".build/release/x.swift", ".build-other/y.md",
                     ".peer-venv/lib/z.py", "Lib/__pycache__/t.pyc"] {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x\n".utf8).write(to: url)
        }
        let listing = RepositoryListing(root: dir)
        XCTAssertEqual(listing.source, "walk")
        XCTAssertEqual(listing.files.sorted(), ["Lib/a.swift", "README.md"])
        XCTAssertTrue(listing.directories.contains("Lib"))
    }
}

/// The files of the repository: tracked and untracked-but-not-ignored, as `git ls-files`
/// lists them, or by walking the tree when git cannot (no git, no `.git`).
struct RepositoryListing {
    let root: URL?
    /// Paths relative to the root, `/`-separated.
    let files: Set<String>
    /// Every folder that holds a listed file, relative to the root.
    let directories: Set<String>
    /// `git` or `walk` (or `given`).
    let source: String

    init(files: Set<String>) {
        self.init(root: nil, files: files, source: "given")
    }

    init(root: URL) {
        if let files = Self.gitListing(root) {
            self.init(root: root, files: files, source: "git")
        } else {
            self.init(root: root, files: Self.walk(root), source: "walk")
        }
    }

    private init(root: URL?, files: Set<String>, source: String) {
        self.root = root
        self.files = files
        self.source = source
        var directories: Set<String> = [""]
        for file in files {
            var parts = file.split(separator: "/").dropLast()
            while !parts.isEmpty {
                directories.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        self.directories = directories
    }

    func exists(_ path: String) -> Bool {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return files.contains(trimmed) || directories.contains(trimmed)
    }

    /// The file's text, or nil when it is not UTF-8 text (or holds a NUL byte).
    func text(of path: String) -> String? {
        guard let root, let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path),
              !data.contains(0) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    static let textExtensions: Set<String> = ["md", "swift", "lab", "py", "sh", "txt", "json", "yml", "yaml", "toml",
                                              "cfg", "ini", "ipynb", "h", "c", "modulemap", "gitignore"]

    static func isTextCandidate(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.dropFirst().lastIndex(of: ".") else { return true }  // a script, .gitignore
        return textExtensions.contains(String(name[name.index(after: dot)...]).lowercased())
    }

    /// `git ls-files` in `root`, or nil when git is missing, the folder is not a repository
    /// (or not its top) or git fails. Files listed but deleted from the tree are left out.
    static func gitListing(_ root: URL) -> Set<String>? {
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else { return nil }
        let files = text.split(separator: "\0").map(String.init).filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path)
        }
        return files.isEmpty ? nil : Set(files)
    }

    /// Folders a walk never enters: git's, build outputs, virtual environments, caches.
    static func isSkippedFolder(_ name: String) -> Bool {
        name == ".git" || name.hasPrefix(".build") || name == ".swiftpm" || name == "__pycache__"
            || name == "node_modules" || name.hasSuffix("venv") || name == ".venv"
    }

    static func walk(_ root: URL) -> Set<String> {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(at: root.standardizedFileURL.resolvingSymlinksInPath(),
                                                           includingPropertiesForKeys: [.isDirectoryKey, .isRegularFileKey])
        else { return [] }
        var files: Set<String> = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey])
            if values?.isDirectory == true {
                if isSkippedFolder(url.lastPathComponent) { walker.skipDescendants() }
                continue
            }
            guard values?.isRegularFile == true else { continue }
            let path = url.resolvingSymlinksInPath().path
            guard path.hasPrefix(base + "/") else { continue }
            files.insert(String(path.dropFirst(base.count + 1)))
        }
        return files
    }
}

/// The rules of `StandaloneRepositoryTests` (see there), applied to one line of one file.
struct ReferenceRules {
    let listing: RepositoryListing

    /// Top-level folders of a Unix or macOS file system: a token `/NAME…` with one of these
    /// is an absolute path.
    static let systemRoots = ["work", "workspace", "root", "home", "Users", "mnt", "srv", "opt", "var", "private",
                              "Volumes", "scratch", "tmp", "dev", "proc", "usr", "bin", "sbin", "lib", "etc",
                              "autograder", "Library"]
    /// The absolute paths a user's system legitimately has (each with what is below it).
    static let allowedAbsolute = ["/tmp", "/dev", "/proc", "/usr", "/bin", "/sbin", "/lib", "/etc", "/autograder",
                                  "/opt/homebrew", "/Library/Jupyter"]
    /// The home-relative paths the program and Jupyter use.
    static let allowedHome = ["~/.selfsup", "~/.local/share/jupyter", "~/Library/Jupyter"]
    /// Where a token stops: white space, quotes, brackets and separators.
    private static let tokenTail = #"[^\s`'"(),;\]\[|]*"#

    private let absolutePath: NSRegularExpression
    private let homePath: NSRegularExpression
    private let siblingShared: NSRegularExpression
    private let repositoryPath: NSRegularExpression
    private let capitalMarkdown: NSRegularExpression
    private let markdownLink: NSRegularExpression
    private let placeholderWord: NSRegularExpression

    init(listing: RepositoryListing) {
        self.listing = listing
        func regex(_ pattern: String) -> NSRegularExpression {
            do { return try NSRegularExpression(pattern: pattern) } catch { fatalError("bad pattern \(pattern): \(error)") }
        }
        let roots = Self.systemRoots.joined(separator: "|")
        absolutePath = regex(#"(?<![\w.~/:$)}\]\\-])/(?:"# + roots + #")(?![\w.-])"# + Self.tokenTail)
        homePath = regex(#"(?<![\w.~/$-])~"# + "/" + Self.tokenTail)  // in parts: not a path here
        siblingShared = regex(#"(?<![\w.-])(?:\.\./)*"# + "shared" + "/" + Self.tokenTail)  // in parts: not a path here
        var folders = Set(["Sources", "Tests", "Lessons", "Scripts", "Bench", ".ci"])
        for file in listing.files {
            let parts = file.split(separator: "/")
            if parts.count > 1 { folders.insert(String(parts[0])) }
        }
        let alternation = folders.sorted().map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        repositoryPath = regex(#"(?<![\w./+~-])(?:"# + alternation + ")/" + Self.tokenTail)
        capitalMarkdown = regex(#"(?<![\w./+~-])[A-Z][A-Z0-9_]*(?:-[A-Z0-9_]+)*\.md(?![\w/])"#)
        markdownLink = regex(#"\[[^\]]*\]\(([^)\s]+)\)"#)
        placeholderWord = regex(#"(?<![A-Za-z])(?:NN|N|X|NAME|MISTAKE|FILE|PATH|MODULE)(?![A-Za-z])"#)
    }

    func problems(in line: String, file: String) -> [String] {
        guard line.contains("/") || line.contains(".md") else { return [] }
        var found: [String] = []
        let folder = file.split(separator: "/").dropLast().joined(separator: "/")

        for token in matches(absolutePath, in: line) {
            let path = Self.trimmed(token)
            if !Self.allowedAbsolute.contains(where: { Self.isPath(path, under: $0) }) {
                found.append("machine path \(path)")
            }
        }
        for token in matches(homePath, in: line) {
            let path = Self.trimmed(token)
            if !Self.allowedHome.contains(where: { Self.isPath(path, under: $0) }) {
                found.append("path in a user's home \(path)")
            }
        }
        for token in matches(siblingShared, in: line) {
            found.append("path into a folder outside the repository \(Self.trimmed(token))")
        }
        for token in matches(repositoryPath, in: line) {
            let path = Self.trimmed(token).split(separator: "#").first.map(String.init) ?? ""
            guard !path.isEmpty, !isPlaceholder(path) else { continue }
            if let last = path.last, !(last.isLetter || last.isNumber || last == "/") {
                if !listing.files.contains(where: { $0.hasPrefix(path) }) {
                    found.append("no repository file starts with \(path)")
                }
            } else if !listing.exists(path) {
                found.append("missing file \(path)")
            }
        }
        for name in matches(capitalMarkdown, in: line) {
            let beside = folder.isEmpty ? name : folder + "/" + name
            if !listing.files.contains(name) && !listing.files.contains(beside) {
                found.append("missing document \(name)")
            }
        }
        if file.hasSuffix(".md") || file.hasSuffix(".lab") {
            for target in matches(markdownLink, in: line, group: 1) {
                guard let path = linkPath(target) else { continue }
                guard let resolved = Self.resolve(path, from: folder) else {
                    found.append("link out of the repository \(target)")
                    continue
                }
                if !listing.exists(resolved) { found.append("dead link \(target)") }
            }
        }
        return found
    }

    /// The path part of a relative link target, or nil for an absolute, external or
    /// in-page link, or a placeholder.
    private func linkPath(_ target: String) -> String? {
        var t = target
        if t.hasPrefix("<") && t.hasSuffix(">") { t = String(t.dropFirst().dropLast()) }
        if t.isEmpty || t.hasPrefix("#") || t.hasPrefix("/") || t.hasPrefix("~") { return nil }
        if t.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) != nil { return nil }
        t = String(t.split(separator: "#", omittingEmptySubsequences: false)[0])
        t = String(t.split(separator: "?", omittingEmptySubsequences: false)[0])
        if t.isEmpty || isPlaceholder(t) { return nil }
        return t
    }

    private func isPlaceholder(_ path: String) -> Bool {
        if path.contains(where: { "<>*?{}[]$\\|%…".contains($0) }) || path.contains("...") { return true }
        return placeholderWord.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    private func matches(_ regex: NSRegularExpression, in line: String, group: Int = 0) -> [String] {
        regex.matches(in: line, range: NSRange(line.startIndex..., in: line)).compactMap {
            Range($0.range(at: group), in: line).map { String(line[$0]) }
        }
    }

    /// The token without the punctuation that ends a sentence or clause.
    static func trimmed(_ token: String) -> String {
        var t = Substring(token)
        while let last = t.last, ".,:;!?".contains(last) { t = t.dropLast() }
        return String(t)
    }

    /// Whether `path` is `prefix` or lies below it.
    static func isPath(_ path: String, under prefix: String) -> Bool {
        path == prefix || path == prefix + "/" || path.hasPrefix(prefix + "/")
    }

    /// `path` relative to `folder`, with `.` and `..` resolved; nil when it leaves the root.
    static func resolve(_ path: String, from folder: String) -> String? {
        var parts = folder.split(separator: "/").map(String.init)
        for part in path.split(separator: "/").map(String.init) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
