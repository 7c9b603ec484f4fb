import Foundation
import LabSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file could not be written.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { Messages.text("cannot write {path}: {reason}", ["path": path, "reason": reason]) }
}

/// Writes files atomically (exports, `--json` results, progress): `LabSupport`'s
/// `AtomicFileWrite`, which refuses a target that is not a regular file and never follows
/// a planted temporary file; a reader sees the old file or the new one, never half.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws(FileWriteError) {
        try write(Data(text.utf8), to: url)
    }

    public static func write(_ data: Data, to url: URL) throws(FileWriteError) {
        do {
            try AtomicFileWrite.write([UInt8](data), toPath: url.path)
        } catch {
            throw FileWriteError(path: url.path, reason: error.reason)
        }
    }
}
