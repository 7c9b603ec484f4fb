import LabScript
import LabSupport
import TensorCore

/// The session itself: its random seed and the documentation.
extension Builtins {
    static func session(_ state: BuiltinState) -> BuiltinGroup {
        BuiltinGroup("Session and help", [
            builtin("seed", [Parameter("n", documentation: "a whole number ≥ 0")],
                    summary: "Restarts the session's random generator from seed n, so what follows repeats exactly.",
                    details: "Every session starts from the same default seed (\(BuiltinState.defaultSeed)); the REPL command :seed N does the same.",
                    example: "seed(7)\na = randn(2)\nseed(7)\nexpect_close(a, randn(2), tol: 0)", lesson: LessonNumber.tensors) { args, context in
                let n = try args.int("n")
                guard n >= 0 else { throw context.error(Messages.text("seed: the seed must be ≥ 0, got {value}", ["value": String(n)])) }
                state.reseed(UInt64(n))
                return .nilValue
            },
            builtin("help", [Parameter("name", default: .nilValue, documentation: "a builtin, or its name as a string")],
                    summary: "Prints a builtin's signature, summary, parameters, example and lesson; help() lists every builtin.",
                    example: "help(\"relu\")\nhelp(softmax)") { args, context in
                guard let registry = state.registry else { return .nilValue }
                let text: String
                switch args["name"] {
                case .nilValue: text = BuiltinDocumentation.overview(registry, width: state.display.width)
                case .string(let name):
                    text = BuiltinDocumentation.help(name, in: registry, width: state.display.width)
                        ?? BuiltinDocumentation.unknown(name, in: registry)
                case .native(let function):
                    let entry = registry.function(named: function.name) ?? function
                    text = BuiltinDocumentation.helpText(entry, width: state.display.width)
                case .function(let function):
                    text = "\(function.name)(\(function.parameters.map(\.signatureText).joined(separator: ", ")))\n  a function defined in the script"
                default:
                    throw args.typeError("name", expected: "a builtin or its name as a string")
                }
                if let helpSink = state.helpSink { helpSink(text + "\n") } else { context.write(text + "\n") }
                return .nilValue
            },
        ])
    }
}
