import Foundation
import LabSupport

/// The language's own builtins: the ones that need no tensors. LabBuiltins registers the
/// rest (and `help`) in the same builtin layer, and may replace any of these by
/// registering a function of the same name.
enum CoreBuiltins {
    static var all: [NativeFunction] { general + math + expectations }

    static var general: [NativeFunction] { [
        NativeFunction(
            name: "print", parameters: [.variadic("values"), Parameter("sep", default: .string(" "))],
            summary: "Prints the values separated by `sep`, then a new line.",
            details: "Strings print without quotes; numbers in their shortest exact form.",
            example: "print(\"loss\", 0.25)   # loss 0.25"
        ) { args, context in
            let separator = try args.string("sep")
            context.write(args.variadic.map(\.displayString).joined(separator: separator) + "\n")
            return .nilValue
        },
        NativeFunction(
            name: "len", parameters: [Parameter("x")],
            summary: "Number of items of a list, characters of a string, fields of a record or steps of a range.",
            example: "print(len([1, 2, 3]))   # 3"
        ) { args, context in
            switch args["x"] {
            case .list(let items): return .int(items.count)
            case .string(let text): return .int(text.count)
            case .record(let record): return .int(record.count)
            case .range(let range): return .int(range.count)
            case .host(let object):
                if case .number(let count)? = try object.field("len", context: context) { return .number(count) }
                throw args.typeError("x", expected: "a list, string, record or range")
            default: throw args.typeError("x", expected: "a list, string, record or range")
            }
        },
        NativeFunction(
            name: "str", parameters: [Parameter("x")],
            summary: "The value as a string, as print would show it.",
            example: "print(str(3) + \" epochs\")   # 3 epochs"
        ) { args, _ in .string(args["x"].displayString) },
        NativeFunction(
            name: "type", parameters: [Parameter("x")],
            summary: "The name of the value's type: number, bool, string, nil, list, record, range, function, or a host type.",
            example: "print(type([1]))   # list"
        ) { args, _ in .string(args["x"].typeName) },
        NativeFunction(
            name: "range", parameters: [Parameter("start"), Parameter("stop", default: .nilValue), Parameter("step", default: .number(1))],
            summary: "Integers from start up to (not including) stop, by step; range(n) is 0..n.",
            example: "for i in range(0, 10, 3) { print(i) }   # 0 3 6 9"
        ) { args, _ in
            let step = try args.int("step")
            if step == 0 { throw RuntimeError(.argument, Messages.text("range: step cannot be zero"), at: args.range(of: "step")) }
            if args["stop"].isNil { return .range(ScriptRange(start: 0, end: try args.int("start"), step: step)) }
            return .range(ScriptRange(start: try args.int("start"), end: try args.int("stop"), step: step))
        },
        NativeFunction(
            name: "list", parameters: [Parameter("x")],
            summary: "A list of the items of a range, string (characters), list or record (keys).",
            example: "print(list(0..3))   # [0, 1, 2]"
        ) { args, context in
            switch args["x"] {
            case .list(let items): return .list(items)
            case .range(let range):
                try context.interpreter.checkSize(range.count, .list, context.range)
                return .list((0..<range.count).map { .int(range.element($0)) })
            case .string(let text): return .list(text.map { .string(String($0)) })
            case .record(let record): return .list(record.keys.map { .string($0) })
            default: throw args.typeError("x", expected: "a range, string, list or record")
            }
        },
        NativeFunction(
            name: "append", parameters: [Parameter("items"), Parameter("value")],
            summary: "A new list: items with value added at the end (the original list is unchanged).",
            details: "Lists are values: to grow a list in place write `xs.append(v)` or `xs = append(xs, v)`.",
            example: "xs = append([1, 2], 3)\nprint(xs)   # [1, 2, 3]"
        ) { args, context in
            try context.interpreter.checkNesting(args["value"], args.range(of: "value"))
            let items = try args.list("items")
            try context.interpreter.checkSize(items.count + 1, .list, context.range)
            return .list(items + [args["value"]])
        },
        NativeFunction(
            name: "keys", parameters: [Parameter("r")],
            summary: "The field names of a record, in order.",
            example: "print(keys({lr: 0.1, epochs: 5}))   # [\"lr\", \"epochs\"]"
        ) { args, _ in .list(try args.record("r").keys.map { .string($0) }) },
        NativeFunction(
            name: "values", parameters: [Parameter("r")],
            summary: "The field values of a record, in order.",
            example: "print(values({lr: 0.1, epochs: 5}))   # [0.1, 5]"
        ) { args, _ in .list(try args.record("r").values) },
        NativeFunction(
            name: "contains", parameters: [Parameter("collection"), Parameter("item")],
            summary: "Whether a list holds item, a string contains the substring, or a record has the field.",
            example: "print(contains([1, 2], 2))   # true"
        ) { args, _ in
            let item = args["item"]
            switch args["collection"] {
            case .list(let items): return .bool(items.contains { $0.isEqual(to: item) })
            case .string(let text):
                guard case .string(let part) = item else { throw args.typeError("item", expected: "a string") }
                return .bool(part.isEmpty || text.contains(part))
            case .record(let record):
                guard case .string(let key) = item else { throw args.typeError("item", expected: "a string") }
                return .bool(record[key] != nil)
            default: throw args.typeError("collection", expected: "a list, string or record")
            }
        },
        NativeFunction(
            name: "join", parameters: [Parameter("items"), Parameter("sep", default: .string(""))],
            summary: "The items as strings, joined by sep.",
            example: "print(join([1, 2, 3], \", \"))   # 1, 2, 3"
        ) { args, _ in .string(try args.list("items").map(\.displayString).joined(separator: try args.string("sep"))) },
        NativeFunction(
            name: "sorted", parameters: [Parameter("items")],
            summary: "A new list with the items in increasing order (all numbers or all strings).",
            example: "print(sorted([3, 1, 2]))   # [1, 2, 3]"
        ) { args, _ in
            let items = try args.list("items")
            if let numbers = Optional(items.compactMap { value -> Double? in if case .number(let n) = value { return n }; return nil }),
               numbers.count == items.count {
                return .list(numbers.sorted().map { .number($0) })
            }
            let strings = items.compactMap { value -> String? in if case .string(let s) = value { return s }; return nil }
            if strings.count == items.count { return .list(strings.sorted().map { .string($0) }) }
            throw args.typeError("items", expected: "a list of numbers or a list of strings")
        },
        NativeFunction(
            name: "int", parameters: [Parameter("x")],
            summary: "A number truncated towards zero, or a string of digits read as a number.",
            example: "print(int(2.7), int(\"42\"))   # 2 42"
        ) { args, _ in
            switch args["x"] {
            case .number(let number) where number.isFinite: return .number(number.rounded(.towardZero))
            case .string(let text):
                if let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite {
                    return .number(number.rounded(.towardZero))
                }
                throw RuntimeError(.type, Messages.text("int: cannot read '{text}' as a number", ["text": text]), at: args.range(of: "x"))
            default: throw args.typeError("x", expected: "a finite number or a string")
            }
        },
    ] }
}
