import LabScript

/// Builtins that belong together, in the order `help()` and the docs list them.
public struct BuiltinGroup {
    public let title: String
    public let entries: [NativeFunction]

    public init(_ title: String, _ entries: [NativeFunction]) {
        self.title = title
        self.entries = entries
    }
}

/// The one registry of builtins. Each entry is a `NativeFunction`: name, parameters with
/// defaults, summary, longer text, a runnable example, the lesson that introduces it and
/// its implementation. Dispatch (the interpreter's builtin scope), `help(name)`, tab
/// completion and `selfsup docs` all read this object; adding a builtin touches one place,
/// the `Builtins+*.swift` file of its group.
public final class BuiltinRegistry {
    public let groups: [BuiltinGroup]
    private let byName: [String: NativeFunction]

    public init(groups: [BuiltinGroup]) {
        self.groups = groups
        var table: [String: NativeFunction] = [:]
        for group in groups {
            for entry in group.entries { table[entry.name] = entry }
        }
        byName = table
    }

    /// Every entry, sorted by name.
    public var functions: [NativeFunction] { byName.values.sorted { $0.name < $1.name } }

    /// Every builtin name, sorted.
    public var names: [String] { byName.keys.sorted() }

    /// The builtins that are also tensor methods (`isMethod`), sorted.
    public var tensorMethodNames: [String] { byName.values.filter(\.isMethod).map(\.name).sorted() }

    public func function(named name: String) -> NativeFunction? { byName[name] }

    /// The group an entry is listed under.
    public func groupTitle(of name: String) -> String? {
        groups.first { group in group.entries.contains { $0.name == name } }?.title
    }

    /// The registry for a session: the language's own builtins (print, len, expect, …)
    /// under "Language", then the numerical builtins of LabBuiltins.
    static func standard(state: BuiltinState, languageBuiltins: [NativeFunction]) -> BuiltinRegistry {
        state.languageBuiltins = Dictionary(languageBuiltins.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        let numerical = [
            Builtins.creation(state),
            Builtins.elementwise(state),
            Builtins.reductions(state),
            Builtins.shapeOperations(state),
            Builtins.autograd(state),
            Builtins.losses(state),
            Builtins.models(state),
            Builtins.transformers(state),
            Builtins.training(state),
            Builtins.data(state),
            Builtins.augmentations(state),
            Builtins.methods(state),
            Builtins.pytorchExport(state),
            Builtins.evaluation(state),
            Builtins.diagnosis(state),
            Builtins.clustering(state),
            Builtins.whitening(state),
            Builtins.display(state),
            Builtins.comparison(state),
            Builtins.session(state),
        ]
        let extended = Set(numerical.flatMap { $0.entries.map(\.name) })
        let language = BuiltinGroup("Language", languageBuiltins.filter { !extended.contains($0.name) })
        return BuiltinRegistry(groups: ([language] + numerical).filter { !$0.entries.isEmpty })
    }
}

/// The builtin groups, one extension per `Builtins+Group.swift` file.
enum Builtins {}

/// The numbers of the lessons builtins point to (the files `Lessons/NN-name.lab`; their
/// titles come from those files, `LessonTitles`). Not `Lesson`: that is Notebook's lesson file.
enum LessonNumber {
    static let tensors = 0
    static let supervised = 1
    static let masked = 2
    static let collapse = 3
    static let contrastive = 4
    static let augmentations = 5
    static let nonContrastive = 6
    static let positives = 7
    static let summary = 8
}

/// Makes a registry entry whose implementation's library errors become script errors at
/// the call (`bridged`). Every LabBuiltins entry is made through this. With `method: true`
/// the builtin is also a tensor method, `x.name(…)` meaning `name(x, …)`: the entry's flag
/// is the one list of tensor methods (`TensorValue` reads it).
func builtin(_ name: String, method: Bool = false, _ parameters: [Parameter], summary: String, details: String = "",
             example: String, lesson: Int? = nil,
             _ body: @escaping (BoundArguments, CallContext) throws -> Value) -> NativeFunction {
    var entry = NativeFunction(name: name, parameters: parameters, summary: summary, details: details,
                               example: example, lesson: lesson) { args, context in
        try bridged(context) { try body(args, context) }
    }
    entry.isMethod = method
    return entry
}
