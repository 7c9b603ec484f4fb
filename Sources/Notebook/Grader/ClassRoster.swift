import Foundation
import LabSupport

/// One student of a class and their hand-in, as found on disk.
public struct ClassHandIn: Sendable, Equatable {
    public var student: String
    /// The file to grade; nil when the student cannot be graded (`problem` says why).
    public var file: URL?
    /// Why there is nothing to grade: no hand-in in the student's folder, or several.
    public var problem: (status: HandInRecord.Status, reason: String)?

    public static func == (a: ClassHandIn, b: ClassHandIn) -> Bool {
        a.student == b.student && a.file == b.file && a.problem?.status == b.problem?.status
            && a.problem?.reason == b.problem?.reason
    }
}

/// A command-line error in naming a class (exit status 2), with what to do about it.
public struct ClassRosterError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The hand-ins of a class, found in the folders and files a teacher names. Two layouts,
/// which may be mixed in one folder:
///
/// - one file per student: `alice.lab`, `bob.ipynb` (the student is the file's name
///   without its extension);
/// - one folder per student holding their hand-in, at any depth up to four folders
///   down: `carol/…/work.ipynb` (the student is the folder's name), as LMS and
///   Gradescope exports lay submissions out. A folder with no `.lab` or `.ipynb` file is
///   a student with no hand-in; one with several is refused (the teacher keeps one). Both
///   are reported for that student; they never stop the class.
///
/// Files of other kinds beside the hand-ins (a CSV of the LMS, a README) are skipped and
/// listed in `ignored`; hidden files and folders, `__MACOSX` and `.ipynb_checkpoints` are
/// skipped silently. Two hand-ins of one student name (`alice.lab` and `alice.ipynb`, or a
/// file and a folder) are refused as several hand-ins.
public struct ClassRoster: Sendable, Equatable {
    public var handIns: [ClassHandIn]
    /// Paths skipped because they are not hand-ins.
    public var ignored: [String]

    /// The extensions of a hand-in.
    public static let extensions: Set<String> = ["lab", "ipynb"]
    /// Names a student's results folder cannot have: the class's own files beside them.
    public static let reservedNames: Set<String> = ["gradebook.csv", "summary.md", "summary.html"]
    /// How deep a student's folder is searched, and how many entries at most.
    static let maxDepth = 4
    static let maxEntries = 10_000

    /// The class in `inputs` (folders of hand-ins, or hand-in files), leaving out
    /// `excluding` (the results folder, when it lies inside a class folder).
    public static func discover(_ inputs: [URL], excluding: URL? = nil) throws(ClassRosterError) -> ClassRoster {
        var found: [String: [URL]] = [:]
        var ignored: [String] = []
        let fm = FileManager.default
        let skipped = excluding.map { $0.standardizedFileURL.path }
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: input.path, isDirectory: &isDirectory) else {
                throw ClassRosterError(description: Messages.text("no file or folder '{path}'", ["path": input.path]))
            }
            if !isDirectory.boolValue {
                guard isHandIn(input) else {
                    throw ClassRosterError(description: Messages.text("{path} is not a hand-in: a hand-in is a .lab file or an .ipynb notebook", ["path": input.path]))
                }
                found[student(of: input), default: []].append(input)
                continue
            }
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: input.path) } catch {
                throw ClassRosterError(description: Messages.text("cannot read the folder {path}", ["path": input.path]))
            }
            for name in names.sorted() where !isSkipped(name) {
                let url = input.appendingPathComponent(name)
                if url.standardizedFileURL.path == skipped { continue }
                var entryIsDirectory: ObjCBool = false
                guard fm.fileExists(atPath: url.path, isDirectory: &entryIsDirectory) else { continue }
                if entryIsDirectory.boolValue {
                    found[name, default: []] += handInFiles(in: url)
                } else if isHandIn(url) {
                    found[student(of: url), default: []].append(url)
                } else {
                    ignored.append(url.path)
                }
            }
        }
        var handIns: [ClassHandIn] = []
        for (student, files) in found.sorted(by: { $0.key < $1.key }) {
            var handIn = ClassHandIn(student: student, file: files.count == 1 ? files[0] : nil, problem: nil)
            if reservedNames.contains(student) {
                handIn.file = nil
                handIn.problem = (.refused, Messages.text("the student's name is that of a class results file ({name}): rename the hand-in", ["name": student]))
            } else if files.isEmpty {
                handIn.problem = (.noHandIn, Messages.text("no .lab or .ipynb file in the folder {student}",
                                                           ["student": student]))
            } else if files.count > 1 {
                let list = files.map(\.path).sorted().joined(separator: ", ")
                handIn.problem = (.refused, Messages.text("several hand-ins ({files}): keep the one to grade, and grade again", ["files": list]))
            }
            handIns.append(handIn)
        }
        return ClassRoster(handIns: handIns, ignored: ignored)
    }

    /// `alice.lab` → `alice`.
    static func student(of file: URL) -> String { file.deletingPathExtension().lastPathComponent }

    static func isHandIn(_ url: URL) -> Bool { extensions.contains(url.pathExtension.lowercased()) }

    static func isSkipped(_ name: String) -> Bool {
        name.hasPrefix(".") || name == "__MACOSX" || name == ".ipynb_checkpoints"
    }

    /// The hand-in files in a student's folder (depth-first, sorted, bounded).
    static func handInFiles(in folder: URL) -> [URL] {
        var files: [URL] = []
        var visited = 0
        func walk(_ url: URL, depth: Int) {
            guard depth <= maxDepth, visited < maxEntries,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return }
            for name in names.sorted() where !isSkipped(name) {
                visited += 1
                if visited >= maxEntries { return }
                let child = url.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    walk(child, depth: depth + 1)
                } else if isHandIn(child) {
                    files.append(child)
                }
            }
        }
        walk(folder, depth: 1)
        return files
    }
}
