import Foundation

/// The lessons' titles, as the lesson files give them: the first heading of
/// `Lessons/NN-name.lab` (e.g. "4. Contrastive learning as …"). The
/// one source of a lesson's title: builtins (`NativeFunction.lesson`), the methods' map
/// and the exercises (`lesson=4`) cite a lesson by its number, and whatever shows a title
/// reads it here.
///
/// The host says where the titles come from (`source`, set once at start-up: the
/// executable reads the lesson folder it finds); they are read once, when first needed.
/// Without a source, or for a number no lesson file has, a title is just the number.
public enum LessonTitles {
    nonisolated(unsafe) private static var loader: (@Sendable () -> [Int: String])?
    nonisolated(unsafe) private static var cache: [Int: String]?
    private static let lock = NSLock()

    /// Sets where the titles come from (and forgets titles read before).
    public static func setSource(_ source: @escaping @Sendable () -> [Int: String]) {
        lock.lock(); defer { lock.unlock() }
        loader = source
        cache = nil
    }

    /// Every known title, by lesson number.
    public static var all: [Int: String] {
        lock.lock(); defer { lock.unlock() }
        if let cache { return cache }
        let read = loader?() ?? [:]
        cache = read
        return read
    }

    /// The title of lesson `number`, as its file's heading gives it (which starts with the
    /// number), or the number alone where no lesson file is known.
    public static func title(_ number: Int) -> String {
        all[number] ?? String(number)
    }
}
