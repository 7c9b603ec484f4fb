import Display
import LabScript
import TensorCore
import ToyData

/// What the builtins of one session share: the random generator, the seed it started
/// from, and how things are displayed. Every builtin closure captures this object; there
/// is no global state, so two sessions never disturb each other. Not a session itself:
/// the part of one that the builtins capture, owned by the session's `BuiltinContext`.
public final class BuiltinState {
    /// The seed a new session starts from, so runs repeat unless `seed(n)` says otherwise.
    public static let defaultSeed: UInt64 = 0

    /// The seed of the last `seed(n)` (or the session's start).
    public private(set) var seed: UInt64
    /// The session generator: `rand`, `randn`, `randperm`, model initialisation, views…
    public var rng: RandomGenerator
    /// Colour and width of the terminal the session prints to.
    public var display: DisplaySettings
    /// The session's registry (for tensor methods, which forward to builtins). Weak, as
    /// the registry's closures hold this state.
    public internal(set) weak var registry: BuiltinRegistry?
    /// The language's own number versions of names LabBuiltins extends to tensors
    /// (`abs`, `exp`, `log`, `sqrt`, `max`, `min`): a number argument still gets a number.
    var languageBuiltins: [String: NativeFunction] = [:]
    /// The shipped digits, read once per session.
    var digits: Dataset?
    /// Where `show` sends what it draws when set (a notebook collecting figures, so an
    /// exported lesson gets the SVG); nil prints the terminal text to the session output.
    public var figureSink: ((Chart) -> Void)?
    /// Where training progress bars go when set (a Jupyter kernel turning them into
    /// updating displays): bars are then drawn, redrawn in place with `\r` as on a
    /// terminal, into this sink instead of the session output.
    public var progressSink: ((String) -> Void)?
    /// Where `help` sends its text when set (the interactive REPL, which pages text longer
    /// than the screen); nil prints it to the session output.
    public var helpSink: ((String) -> Void)?

    public init(seed: UInt64 = BuiltinState.defaultSeed, display: DisplaySettings = DisplaySettings()) {
        self.seed = seed
        self.rng = RandomGenerator(seed: seed)
        self.display = display
    }

    /// Restarts the generator from `seed`.
    public func reseed(_ seed: UInt64) {
        self.seed = seed
        rng = RandomGenerator(seed: seed)
    }

    /// A fresh 64-bit seed drawn from the session generator (for library functions that
    /// take a seed rather than a generator, e.g. the data sets).
    public func nextSeed() -> UInt64 {
        rng.next()
    }
}

/// How values are displayed in a session: terminal colour and width, and tensor printing.
public struct DisplaySettings {
    /// Terminal colour mode and width (charts, heatmaps, images).
    public var terminal: TerminalCapabilities
    /// Tensor printing: precision 4, threshold 1000, edge items 3 by default.
    public var arrayOptions: ArrayPrintOptions

    public init(terminal: TerminalCapabilities = .plain, arrayOptions: ArrayPrintOptions = ArrayPrintOptions()) {
        self.terminal = terminal
        self.arrayOptions = arrayOptions
        self.arrayOptions.lineWidth = min(arrayOptions.lineWidth, max(40, terminal.width - 5))
    }

    public var color: Bool { terminal.colorEnabled }
    public var width: Int { terminal.width }
}
