#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How colour is written to the terminal.
public enum ColorMode: Sendable, Equatable {
    /// No escape sequences at all: plain text (`NO_COLOR`, pipes, files, golden tests).
    case none
    /// The 256-colour palette; images fall back to its 24 grey levels.
    case palette256
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    case trueColor
}

/// What the output can show: colour and width. Every renderer takes one of these, so tests
/// pass `.plain` (no colour, 80 columns) and get the same text on every machine.
public struct TerminalCapabilities: Sendable, Equatable {
    public var color: ColorMode
    /// Columns available for a line.
    public var width: Int
    /// Whether the output is a terminal, so that `\r` redraws in place.
    public var isTerminal: Bool

    public init(color: ColorMode = .none, width: Int = 80, isTerminal: Bool = false) {
        self.color = color
        self.width = max(20, width)
        self.isTerminal = isTerminal
    }

    /// No colour, 80 columns, not a terminal: what golden tests and files get.
    public static let plain = TerminalCapabilities()

    public var colorEnabled: Bool { color != .none }

    /// The capabilities of a file descriptor (standard output by default):
    /// - colour is off when `NO_COLOR` is set to anything non-empty (no-color.org), when
    ///   `TERM=dumb`, or when the descriptor is not a terminal; `SELFSUP_COLOR=always`
    ///   forces it on and `SELFSUP_COLOR=never` off;
    /// - 24-bit when `COLORTERM` is `truecolor` or `24bit`, else the 256-colour palette;
    /// - the width is `COLUMNS` if set, else the terminal's (`ioctl TIOCGWINSZ`), else 80.
    public static func detect(fileDescriptor: Int32 = 1,
                              environment: [String: String] = currentEnvironment()) -> TerminalCapabilities {
        detect(isTerminal: isatty(fileDescriptor) == 1,
               terminalWidth: terminalColumns(fileDescriptor), environment: environment)
    }

    /// The decision of `detect`, with the facts about the descriptor passed in (for tests).
    public static func detect(isTerminal: Bool, terminalWidth: Int?,
                              environment: [String: String]) -> TerminalCapabilities {
        var colorOn = isTerminal
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { colorOn = false }
        if environment["TERM"] == "dumb" { colorOn = false }
        switch environment["SELFSUP_COLOR"] {
        case "always": colorOn = true
        case "never": colorOn = false
        default: break
        }
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        let mode: ColorMode = !colorOn ? .none
            : (colorTerm == "truecolor" || colorTerm == "24bit") ? .trueColor : .palette256
        var width = 80
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 {
            width = columns
        } else if let w = terminalWidth, w > 0 {
            width = w
        }
        return TerminalCapabilities(color: mode, width: width, isTerminal: isTerminal)
    }

    /// The process environment as a dictionary.
    public static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }

    /// The column count of a terminal, or nil when the descriptor is not one.
    static func terminalColumns(_ fd: Int32) -> Int? {
        var size = winsize()
        #if canImport(Glibc)
        let status = ioctl(fd, UInt(TIOCGWINSZ), &size)
        #else
        let status = ioctl(fd, TIOCGWINSZ, &size)
        #endif
        return status == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
    }
}
