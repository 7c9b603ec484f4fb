import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Why a file could not be written: the path and the reason, e.g.
/// `cannot write /tmp/m.safetensors: File too large`.
public struct AtomicWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { Messages.text("cannot write {path}: {reason}", ["path": path, "reason": reason]) }
}

/// The one way the project writes a file a script or a command names (`save`, `--json`,
/// exports): atomically and without following anything planted in its way.
///
/// 1. The target, if it exists, must be a regular file: a symbolic link, a FIFO, a
///    device or a directory is refused (renaming over it would replace `/dev/null` or
///    the link itself, and writing through it would write somewhere else).
/// 2. The bytes go to a new temporary file beside the target, created exclusively
///    (`O_CREAT | O_EXCL | O_NOFOLLOW`) under an unpredictable name, so nothing planted
///    at a guessed name is followed or overwritten.
/// 3. Every write is checked (SIGXFSZ is ignored, so a file-size limit is an `EFBIG`
///    error here rather than the death of the process); the file is `fsync`ed, then
///    renamed over the target. On any failure the temporary file is removed.
public enum AtomicFileWrite {
    public static func write(_ bytes: [UInt8], toPath path: String) throws(AtomicWriteError) {
        _ = ignoreFileSizeSignal
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind != S_IFREG {
                throw AtomicWriteError(path: path, reason: "it is \(describe(kind)), not a regular file; refusing to replace it")
            }
        } else if errno != ENOENT {
            throw AtomicWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var temporary = ""
        var descriptor: Int32 = -1
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let token = String(generator.next(), radix: 36) + String(generator.next(), radix: 36)
            temporary = directory + "/." + url.lastPathComponent + "." + token + ".tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw AtomicWriteError(path: path, reason: "cannot create a temporary file beside it: " + String(cString: strerror(errno)))
        }
        func fail(_ reason: String) -> AtomicWriteError {
            close(descriptor)
            unlink(temporary)
            return AtomicWriteError(path: path, reason: reason)
        }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw fail(String(cString: strerror(errno)))
            }
            written += result
        }
        if fsync(descriptor) != 0 { throw fail(String(cString: strerror(errno))) }
        if close(descriptor) != 0 {
            unlink(temporary)
            throw AtomicWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw AtomicWriteError(path: path, reason: reason)
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    public static func write(_ text: String, toPath path: String) throws(AtomicWriteError) {
        try write(Array(text.utf8), toPath: path)
    }

    /// Set once: a write past `ulimit -f` then fails with EFBIG instead of killing us.
    private static let ignoreFileSizeSignal: Void = {
        _ = signal(SIGXFSZ, SIG_IGN)
    }()

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }
}
