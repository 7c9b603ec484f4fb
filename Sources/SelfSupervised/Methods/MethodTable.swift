import LabSupport
import NeuralNet

/// The value of one method setting (a hyperparameter such as `temperature`).
public enum MethodOption: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .number(let v): return v == v.rounded() && Swift.abs(v) < 1e9 ? String(Int(v)) : String(v)
        case .bool(let b): return String(b)
        case .string(let s): return "\"\(s)\""
        }
    }
}

/// A setting that some methods read, with one line of documentation. `train`'s
/// method-specific parameters are exactly `TrainingMethods.settings`.
public struct MethodSetting: Sendable {
    public let name: String
    public let documentation: String
}

/// One setting a method reads: its name (a `train` argument, `TrainingMethods.settings`),
/// the values it accepts and its default. `TrainingMethod.make` checks every given value
/// here, once, before the method is built; the factories only read the values.
public struct MethodSettingSpec: Sendable {
    /// The values a setting accepts.
    public enum Kind: Sendable, Equatable {
        /// A finite number > 0 (a temperature).
        case positive
        /// A finite number ≥ 0 (a loss weight; 0 is the ablation).
        case nonNegative
        /// A number from 0 to 1 (an EMA momentum).
        case unit
        /// A whole number in the range (a queue or cluster count).
        case count(ClosedRange<Int>)
        case bool
        /// One of these strings.
        case choice([String])
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: MethodOption

    public init(_ name: String, _ kind: Kind, default defaultValue: MethodOption) {
        self.name = name; self.kind = kind; self.defaultValue = defaultValue
    }

    /// What the setting accepts, as help and errors say it.
    public var accepts: String {
        switch kind {
        case .positive: return "a number > 0"
        case .nonNegative: return "a number ≥ 0"
        case .unit: return "a number from 0 to 1"
        case .count(let range): return "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .bool: return "true or false"
        case .choice(let names): return names.map { "\"\($0)\"" }.joined(separator: " or ")
        }
    }

    /// `value` if the setting accepts it; otherwise the error naming the setting.
    public func validate(_ value: MethodOption) throws -> MethodOption {
        let fits: Bool
        switch (kind, value) {
        case (.positive, .number(let v)): fits = v > 0 && v.isFinite
        case (.nonNegative, .number(let v)): fits = v >= 0 && v.isFinite
        case (.unit, .number(let v)): fits = v >= 0 && v <= 1
        case (.count(let range), .number(let v)):
            fits = v == v.rounded() && v >= Double(range.lowerBound) && v <= Double(range.upperBound)
        case (.bool, .bool): fits = true
        case (.choice(let names), .string(let s)): fits = names.contains(s)
        default: fits = false
        }
        guard fits else { throw MethodSetupError(parameter: name, rejection(of: value)) }
        return value
    }

    /// The error for a value the setting does not accept: one whole sentence per kind (the
    /// catalogue translates each; in English it reads "\(name) must be \(accepts), got \(value)").
    func rejection(of value: MethodOption) -> String {
        let arguments = ["name": name, "value": value.description]
        switch kind {
        case .positive: return Messages.text("{name} must be a number > 0, got {value}", arguments)
        case .nonNegative: return Messages.text("{name} must be a number ≥ 0, got {value}", arguments)
        case .unit: return Messages.text("{name} must be a number from 0 to 1, got {value}", arguments)
        case .count(let range):
            return Messages.text("{name} must be a whole number from {minimum} to {maximum}, got {value}",
                                 arguments.merging(["minimum": String(range.lowerBound), "maximum": String(range.upperBound)]) { a, _ in a })
        case .bool: return Messages.text("{name} must be true or false, got {value}", arguments)
        case .choice(let names):
            let choices = names.map { "\"\($0)\"" }.joined(separator: Messages.text(" or "))
            return Messages.text("{name} must be {choices}, got {value}", arguments.merging(["choices": choices]) { a, _ in a })
        }
    }
}

/// A method setting that cannot be used (e.g. a temperature ≤ 0); `parameter` names the
/// setting so a script error can point at the argument.
public struct MethodSetupError: Error, CustomStringConvertible {
    public let parameter: String?
    public let message: String
    public init(parameter: String?, _ message: String) { self.parameter = parameter; self.message = message }
    public var description: String { message }
}

/// What a method's factory gets: the encoder and the size of its features, optional heads
/// given by the caller (nil: the factory builds its default), the settings the caller
/// gave (missing ones take the entry's `defaults`), and the generator that initialises
/// new heads.
public struct MethodRequest {
    public var encoder: Module
    /// The encoder's output size for one example.
    public var features: Int
    /// The number of classes of the data (the supervised head).
    public var classes: Int
    /// The training batch size (W-MSE sizes its embedding to it).
    public var batchSize: Int
    public var projector: Module?
    public var predictor: Module?
    /// Settings given by the caller, by name (see `TrainingMethods.settings`).
    public var options: [String: MethodOption]
    public var rng: RandomGenerator
    /// Called with the shape of any large buffer before the method allocates it (the
    /// session's element limit); throws to refuse.
    public var checkShape: ([Int]) throws -> Void
    /// Filled in by `TrainingMethod.make` from the entry.
    var defaults: [String: MethodOption] = [:]

    public init(encoder: Module, features: Int, classes: Int, batchSize: Int, projector: Module? = nil,
                predictor: Module? = nil, options: [String: MethodOption] = [:], rng: RandomGenerator,
                checkShape: @escaping ([Int]) throws -> Void = { _ in }) {
        self.encoder = encoder; self.features = features; self.classes = classes; self.batchSize = batchSize
        self.projector = projector; self.predictor = predictor; self.options = options; self.rng = rng
        self.checkShape = checkShape
    }

    func value(_ name: String) throws -> MethodOption {
        guard let v = options[name] ?? defaults[name] else {
            throw MethodSetupError(parameter: name, Messages.text("the method has no setting {name}", ["name": name]))
        }
        return v
    }
    /// The setting `name` as a number (given, else the entry's default).
    public func number(_ name: String) throws -> Double {
        guard case .number(let v) = try value(name) else { throw MethodSetupError(parameter: name, Messages.text("{name} must be a number", ["name": name])) }
        return v
    }
    public func float(_ name: String) throws -> Float { Float(try number(name)) }
    /// A whole-number setting (its range was checked by the entry's `MethodSettingSpec`).
    public func int(_ name: String) throws -> Int {
        let v = try number(name)
        guard v == v.rounded(), Swift.abs(v) < 1e15 else { throw MethodSetupError(parameter: name, Messages.text("{name} must be a whole number", ["name": name])) }
        return Int(v)
    }
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let v) = try value(name) else { throw MethodSetupError(parameter: name, Messages.text("{name} must be true or false", ["name": name])) }
        return v
    }
    public func string(_ name: String) throws -> String {
        guard case .string(let v) = try value(name) else { throw MethodSetupError(parameter: name, Messages.text("{name} must be a string", ["name": name])) }
        return v
    }
}

/// A method ready to train, with the heads it built or was given, by role ("projector",
/// "predictor", "head"): the run returns them so a script can reuse or inspect them.
public struct BuiltMethod {
    public var method: RepresentationMethod
    public var heads: [(String, Module)]
    /// Every setting of the entry with the value the method was built with (given or the
    /// default), by name; filled in by `TrainingMethod.make`.
    public var settings: [String: MethodOption] = [:]
    public init(_ method: RepresentationMethod, heads: [(String, Module)]) { self.method = method; self.heads = heads }
}

/// The one key setting of a method that a leaderboard tunes, and the values it tries: at
/// most three, the default first (a two-point grid is the first two). `compare(tune: true)`
/// picks one on a validation split; the entry declares it so every leaderboard tunes the same.
public struct MethodTuning: Sendable {
    public let setting: String
    public let grid: [Double]
    public init(_ setting: String, _ grid: [Double]) { self.setting = setting; self.grid = grid }
    /// The first `points` values of the grid (the default first).
    public func values(points: Int) -> [Double] { Array(grid.prefix(Swift.max(1, points))) }
}

/// The families of joint-embedding methods, by what keeps each from collapsing, in the order
/// lesson 8's map draws them (`method_map()`); each entry declares its own.
public enum MethodFamily: String, Sendable, CaseIterable {
    case contrastive = "contrastive"
    case distillation = "distillation (asymmetry)"
    case redundancyReduction = "redundancy reduction / whitening"
    case clustering = "clustering"
    case supervised = "supervised"
    case collapses = "none (collapses)"

    /// The family's name on the map.
    public var name: String { rawValue }
    /// The idea that keeps the family's methods from collapsing.
    public var idea: String {
        switch self {
        case .contrastive: return "pull the two views together, push other images (negatives) away"
        case .distillation: return "no negatives: a predictor and a stop-gradient or momentum target break the symmetry"
        case .redundancyReduction: return "no negatives: decorrelate or whiten the embedding dimensions so they cannot all agree"
        case .clustering: return "predict pseudo-labels from k-means on the features"
        case .supervised: return "the reference: labels for every training image"
        case .collapses: return "positive pairs and nothing else: every input maps to one point"
        }
    }
}

/// One network of a method, by its name in the method's role list (and in train.py):
/// trained by back-propagation, or a target (EMA) copy of a trained one that the method
/// moves after each step.
public struct MethodNetwork: Sendable, Equatable {
    public let name: String
    /// The trained network this one is an EMA copy of; nil for a trained network.
    public let targetOf: String?

    public static let encoder = MethodNetwork(name: "encoder", targetOf: nil)
    public static let projector = MethodNetwork(name: "projector", targetOf: nil)
    public static let predictor = MethodNetwork(name: "predictor", targetOf: nil)
    /// A classifier on the encoder (supervised, DeepCluster).
    public static let head = MethodNetwork(name: "head", targetOf: nil)
    /// The EMA copy of the trained network `online`.
    public static func target(of online: MethodNetwork) -> MethodNetwork {
        MethodNetwork(name: "target_" + online.name, targetOf: online.name)
    }
}

/// One training method: its name in scripts, its title, a one-line summary, its family and
/// lesson, its networks by role, the settings it reads (what each accepts, and its default),
/// the view pipeline it uses on images (a name from `ViewPipelines.names`), and the factory
/// that builds it. Dispatch, `help(train)`,
/// completion of `method:` values, "did you mean" suggestions, the docs and
/// `DigitsExperiment` all read `TrainingMethods.all`; a new method is one entry there.
public struct TrainingMethod: Sendable {
    public let name: String
    public let title: String
    public let summary: String
    /// The settings the method reads, in the order the docs list them.
    public let settings: [MethodSettingSpec]
    /// The settings' defaults, by name, in order.
    public var defaults: [(String, MethodOption)] { settings.map { ($0.name, $0.defaultValue) } }
    /// The default view pipeline for images other than digits (which always use `digits`).
    public let views: String
    /// Where the method sits on the map of methods (`method_map()`).
    public let family: MethodFamily
    /// The lesson that teaches the method, by number; nil: none yet.
    public let lesson: Int?
    /// The method's networks in the order of `trainableModules` then `auxiliaryModules`:
    /// the encoder first, then the heads the factory builds (`BuiltMethod.heads`, by these
    /// names), then the target copies. The PyTorch export names and copies them from here.
    public let networks: [MethodNetwork]
    /// The trained networks' names (the encoder, then the heads).
    public var trainedNetworks: [String] { networks.filter { $0.targetOf == nil }.map(\.name) }
    /// The target networks, each with the trained network it copies.
    public var targetNetworks: [MethodNetwork] { networks.filter { $0.targetOf != nil } }
    /// The method belongs to the course: lesson 8's map and leaderboard (`method_map()`)
    /// and the diagnosis bank's healthy set list it. Their printed results and thresholds were
    /// measured on the course's methods, so a method added later (NNCLR) is trained, compared
    /// and documented like any other but joins those only with `inCourse` true, when they are
    /// measured again with it.
    public let inCourse: Bool
    /// The key setting a leaderboard tunes and its grid; nil for a method with no numeric
    /// setting worth tuning (W-MSE, the SimSiam ablation switch, supervised).
    public let tuning: MethodTuning?
    let factory: @Sendable (inout MethodRequest) throws -> BuiltMethod
    /// How the PyTorch export writes the method; nil: it cannot (see `exported(_:)`).
    public internal(set) var export: MethodExport?
    /// What `diagnose` needs to know about the method's collapse (see `collapsing(_:)`).
    public internal(set) var collapse = MethodCollapse()

    public init(name: String, title: String, summary: String, family: MethodFamily, lesson: Int?,
                networks: [MethodNetwork], settings: [MethodSettingSpec] = [],
                views: String = "simclr", tuning: MethodTuning? = nil, inCourse: Bool = true,
                factory: @escaping @Sendable (inout MethodRequest) throws -> BuiltMethod) {
        self.name = name; self.title = title; self.summary = summary; self.family = family; self.lesson = lesson
        self.networks = networks; self.settings = settings
        self.views = views; self.tuning = tuning; self.inCourse = inCourse; self.factory = factory
    }

    /// Builds the method. Every given setting is checked against the entry's spec first
    /// (a setting the method does not read is refused too); missing ones take the defaults.
    public func make(_ request: inout MethodRequest) throws -> BuiltMethod {
        for (name, value) in request.options.sorted(by: { $0.key < $1.key }) {
            guard let spec = settings.first(where: { $0.name == name }) else {
                let message = settings.isEmpty
                    ? Messages.text("{method} has no setting '{name}' (it has no settings)", ["method": self.name, "name": name])
                    : Messages.text("{method} has no setting '{name}' (its settings: {settings})",
                                    ["method": self.name, "name": name, "settings": settings.map(\.name).joined(separator: ", ")])
                throw MethodSetupError(parameter: name, message)
            }
            request.options[name] = try spec.validate(value)
        }
        request.defaults = Dictionary(defaults, uniquingKeysWith: { a, _ in a })
        var built = try factory(&request)
        built.settings = request.defaults.merging(request.options) { _, given in given }
        return built
    }

    /// The default of setting `name`, if the method reads it.
    public func defaultValue(_ name: String) -> MethodOption? { defaults.first { $0.0 == name }?.1 }
}

/// The table of training methods (entries in `TrainingMethods+Entries.swift`).
public enum TrainingMethods {
    /// Every method's name, in table order.
    public static var names: [String] { all.map(\.name) }

    /// The methods of the course (`TrainingMethod.inCourse`), in table order: lesson 8's map
    /// (`method_map()`) and the diagnosis bank's healthy set.
    public static var course: [TrainingMethod] { all.filter(\.inCourse) }

    /// The entry called `name`.
    public static func named(_ name: String) -> TrainingMethod? { all.first { $0.name == name } }

    /// The method-specific settings, each with what it accepts and the methods that read it
    /// with their defaults, e.g. "NT-Xent temperature τ (a number > 0); SimCLR 0.5, MoCo v2 0.2, DCL 0.1".
    public static func documentation(of setting: MethodSetting) -> String {
        let uses = all.compactMap { m in m.defaultValue(setting.name).map { "\(m.title) \($0)" } }
        let accepts = Set(all.flatMap { $0.settings.filter { $0.name == setting.name }.map(\.accepts) })
        let range = accepts.count == 1 ? " (\(accepts.first!))" : ""
        return setting.documentation + range + (uses.isEmpty ? "" : "; " + uses.joined(separator: ", "))
    }

    /// One line per method, `name — summary`, for `help(train)` and the docs.
    public static var summaryLines: [String] { all.map { "\"\($0.name)\": \($0.summary)" } }
}
