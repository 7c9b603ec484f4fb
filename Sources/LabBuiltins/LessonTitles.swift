import Foundation
import LabSupport

/// The lessons' titles, as the lesson files give them: the first heading of
/// `Lessons/NN-name.lab` (e.g. "4. Contrastive learning as …"). The
/// one source of a lesson's title: builtins (`NativeFunction.lesson`), the methods' map
/// and the exercises (`lesson=4`) cite a lesson by its number, and whatever shows a title
/// reads it here.
///
/// The host says where the titles come from (`source`, set once at start-up: the
/// executable reads the lesson folder it finds, and its Chinese twins' folder); they are
/// read once per language, when first needed. In another language than English a title is
/// the twin's (help's "Lesson:" line under `--lang zh` names the Chinese lesson).
/// Without a source, or for a number no lesson file has, a title is just the number.
public enum LessonTitles {
    nonisolated(unsafe) private static var loader: (@Sendable (Language) -> [Int: String])?
    nonisolated(unsafe) private static var cache: [Language: [Int: String]] = [:]
    private static let lock = NSLock()

    /// Sets where the English titles come from (and forgets titles read before); no
    /// lesson is translated.
    public static func setSource(_ source: @escaping @Sendable () -> [Int: String]) {
        setSource(byLanguage: { $0 == .en ? source() : [:] })
    }

    /// Sets where the titles in each language come from: the English lessons for `.en`,
    /// their translated twins (`Lessons/zh/`) for another language.
    public static func setSource(byLanguage source: @escaping @Sendable (Language) -> [Int: String]) {
        lock.lock(); defer { lock.unlock() }
        loader = source
        cache = [:]
    }

    /// Every known English title, by lesson number.
    public static var all: [Int: String] { titles(in: .en) }

    /// Every title the lessons in `language` give, by lesson number (read once).
    static func titles(in language: Language) -> [Int: String] {
        lock.lock(); defer { lock.unlock() }
        if let cached = cache[language] { return cached }
        let read = loader?(language) ?? [:]
        cache[language] = read
        return read
    }

    /// The title of lesson `number` in `language` (the language messages are shown in):
    /// its translated twin's heading where there is one, else the English lesson's (which
    /// starts with the number), or the number alone where no lesson file is known.
    public static func title(_ number: Int, language: Language = Messages.language) -> String {
        if language != .en, let translated = titles(in: language)[number] { return translated }
        return all[number] ?? String(number)
    }
}
