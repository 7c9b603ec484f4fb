import ArgumentParser
import Foundation
import LabSupport
import Notebook

/// Where a kernelspec goes, as `jupyter kernelspec install` decides it: the user's
/// Jupyter data folder, a prefix's `share/jupyter`, or the running Python's prefix.
struct KernelSpecLocation: ParsableArguments {
    @Flag(help: "Install for this user (the default): $JUPYTER_DATA_DIR, else ~/.local/share/jupyter.")
    var user = false

    @Option(help: "Install under PREFIX/share/jupyter/kernels (e.g. a virtual environment).")
    var prefix: String?

    @Flag(help: "Install into the prefix of `python3` on the PATH (its sys.prefix, e.g. the active venv).")
    var sysPrefix = false

    @Option(name: .customLong("name"), help: "The kernel's name (its folder; letters, digits, '.', '_', '-'); notebooks exported by selfsup ask for 'labscript'. Default: labscript, or labscript-zh with --lang zh.")
    var givenName: String?

    /// The kernelspec's folder name: the one given, else `labscript` (`labscript-zh` for
    /// the Chinese kernel, installed beside the English one).
    var name: String { givenName ?? LabScriptKernelSpec.name(Messages.language) }

    func validate() throws {
        if [user, prefix != nil, sysPrefix].filter({ $0 }).count > 1 {
            throw ValidationError(Messages.text("give at most one of --user, --prefix, --sys-prefix"))
        }
        guard KernelSpecLocation.isValidName(name) else {
            throw ValidationError(Messages.text("the kernel name {name} is not a Jupyter kernel name: letters, digits, '.', '_' and '-' only, and not '.' or '..'",
                                                ["name": String(reflecting: name)]))
        }
    }

    /// Jupyter's kernel names, `[a-zA-Z0-9._-]+`, less `.` and `..` (which match it but
    /// name the kernels folder or its parent): so the kernelspec folder is always one
    /// folder inside the kernels folder, for install and uninstall alike.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    /// The `kernels` folder chosen.
    func kernelsDirectory() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let prefix {
            return URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels")
        }
        if sysPrefix {
            guard let found = KernelSpecLocation.pythonPrefix() else {
                printError("selfsup kernel: " + Messages.text("--sys-prefix needs python3 on the PATH"))
                throw ExitCode(2)
            }
            return URL(fileURLWithPath: found).appendingPathComponent("share/jupyter/kernels")
        }
        if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty {
            return URL(fileURLWithPath: data).appendingPathComponent("kernels")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
        return URL(fileURLWithPath: home).appendingPathComponent("Library/Jupyter/kernels")
        #else
        let xdg = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        return URL(fileURLWithPath: xdg).appendingPathComponent("jupyter/kernels")
        #endif
    }

    /// `sys.prefix` of the `python3` on the PATH.
    static func pythonPrefix() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// `selfsup kernel install`: writes `kernel.json` (and the builtins' docs beside it).
struct KernelInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the Jupyter kernelspec \"LabScript (SelfSup Lab)\" so Jupyter can start this kernel.")

    @OptionGroup var location: KernelSpecLocation

    @Option(help: "The name Jupyter shows (default: \"LabScript (SelfSup Lab)\", or \"LabScript（中文）\" with --lang zh).")
    var displayName: String?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let directory = try location.kernelsDirectory().appendingPathComponent(location.name)
        let docs = directory.appendingPathComponent("docs.md")
        let language = Messages.language
        let shown = displayName ?? LabScriptKernelSpec.displayName(language)
        let spec = KernelSpecFile.json(executable: KernelSpecFile.executablePath(), displayName: shown,
                                       options: options, language: language, docsURL: docs.absoluteString,
                                       root: ProjectPaths.lessons.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path })
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try spec.write(to: directory.appendingPathComponent("kernel.json"), atomically: true, encoding: .utf8)
            try ScriptSession().context.docsMarkdown().write(to: docs, atomically: true, encoding: .utf8)
        } catch {
            printError("selfsup kernel install: " + Messages.text("cannot write {path}: {reason}",
                                                                 ["path": directory.path, "reason": error.localizedDescription]))
            throw ExitCode(2)
        }
        print(Messages.text("installed kernelspec '{name}' in {path}", ["name": location.name, "path": directory.path]))
    }
}

/// `selfsup kernel uninstall`: removes the kernelspec folder.
struct KernelUninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove the kernelspec that `selfsup kernel install` wrote (same location options).")

    @OptionGroup var location: KernelSpecLocation

    func run() throws {
        let directory = try location.kernelsDirectory().appendingPathComponent(location.name)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("kernel.json").path) else {
            print(Messages.text("no kernelspec '{name}' in {path}",
                                ["name": location.name, "path": directory.deletingLastPathComponent().path]))
            return
        }
        do { try FileManager.default.removeItem(at: directory) } catch {
            printError("selfsup kernel uninstall: " + Messages.text("cannot remove {path}: {reason}",
                                                                   ["path": directory.path, "reason": error.localizedDescription]))
            throw ExitCode(2)
        }
        print(Messages.text("removed kernelspec '{name}' from {path}", ["name": location.name, "path": directory.path]))
    }
}

/// The `kernel.json` text.
enum KernelSpecFile {
    static func json(executable: String, displayName: String, options: CommonOptions, language: Language = .en,
                     docsURL: String, root: String?) -> String {
        var argv = [executable, "kernel", "--connection-file", "{connection_file}", "--docs-url", docsURL]
        if language != .en { argv += ["--lang", language.rawValue] }
        if options.quick { argv.append("--quick") }
        if options.seed != LabDefaults.seed { argv += ["--seed", String(options.seed)] }
        if options.threads != LabDefaults.threads { argv += ["--threads", String(options.threads)] }
        var spec: [String: Any] = [
            "argv": argv,
            "display_name": displayName,
            "language": "labscript",
            "interrupt_mode": "signal",
            "metadata": ["debugger": false],
        ]
        if let root { spec["env"] = ["SELFSUP_ROOT": root] }
        let data = (try? JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys,
                                                                                 .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// This executable's absolute path (Linux: /proc/self/exe).
    static func executablePath() -> String {
        if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
