import Display
import LabScript
import LabSupport
import TensorCore

/// `bar` and `table`: the pictures of categorical comparisons (method A against method B),
/// listed with the other Display builtins.
extension Builtins {
    static func barAndTable(_ state: BuiltinState) -> [NativeFunction] {
        func chart(_ value: Chart) -> Value { .host(ChartValue(value, state: state)) }
        /// Rows of numbers from a vector (one row) or a matrix / list of lists (a row each).
        func rows(_ args: BoundArguments, _ name: String, _ context: CallContext) throws -> [[Double]] {
            let t = try args.tensor(name, context)
            switch t.rank {
            case 1: return [t.data.map(Double.init)]
            case 2 where t.shape[1] > 0:
                let n = t.shape[1]
                return (0..<t.shape[0]).map { r in t.data[(r * n)..<((r + 1) * n)].map(Double.init) }
            default:
                throw RuntimeError(.argument, Messages.text("{function}: {name} must be a list of numbers or rows of them, got shape {shape}", ["function": args.functionName, "name": name, "shape": formatShape(t.shape)]),
                                   at: args.range(of: name))
            }
        }
        return [
            builtin("bar", [Parameter("values", documentation: "a value per category, or rows of them (one row per series)"),
                            Parameter("labels", default: .nilValue, documentation: "a name per category (default 0, 1, 2, …)"),
                            Parameter("names", default: .list([]), documentation: "a name per series, for the legend"),
                            Parameter("errors", default: .nilValue, documentation: "± this much per bar (e.g. the std over seeds), same shape as values"),
                            Parameter("title", default: .nilValue), Parameter("y_label", default: .nilValue)],
                    summary: "A bar chart of categories (methods, settings), grouped when there are several series, with optional error bars.",
                    details: "In the terminal the bars are horizontal with the value (± error) printed after each; exports draw vertical bars with error bars as SVG.",
                    example: "print(bar([[0.41, 0.52], [0.55, 0.70]], labels: [\"SimCLR\", \"BYOL\"], names: [\"1 label\", \"3 labels\"], errors: [[0.03, 0.02], [0.04, 0.02]]))",
                    lesson: LessonNumber.summary) { args, context in
                let values = try rows(args, "values", context)
                let labels = args["labels"].isNil ? [] : try args.list("labels").map(\.displayString)
                let errors = args["errors"].isNil ? nil : try rows(args, "errors", context)
                return chart(try bar(values, labels: labels, names: try args.list("names").map(\.displayString), errors: errors,
                                     title: try args.optionalString("title"), yLabel: try args.optionalString("y_label")))
            },
            builtin("table", [Parameter("data", documentation: "a list of records (one per row), a record of columns (lists), or a list of rows (lists)"),
                              Parameter("columns", default: .nilValue, documentation: "the columns shown, in order (names of the record fields; headers for rows of lists)"),
                              Parameter("title", default: .nilValue)],
                    summary: "A table: aligned columns in the terminal, an HTML or Markdown table in exports.",
                    details: "A cell that is a record {mean, std} shows as mean ± std; nil is an empty cell. t.rows gives the rows back as records "
                        + "(a ± cell in column c as c and c_std), t.columns the column names.",
                    example: "t = table([{method: \"SimCLR\", acc: 0.61}, {method: \"BYOL\", acc: {mean: 0.66, std: 0.02}}], title: \"probe\")\nprint(t)",
                    lesson: LessonNumber.summary) { args, context in
                let selected = args["columns"].isNil ? nil : try args.list("columns").map(\.displayString)
                let (columns, cells) = try TableConversion.table(args["data"], columns: selected, context: context)
                return chart(try table(columns: columns, rows: cells, title: try args.optionalString("title")))
            },
        ]
    }
}

/// Script values to table cells and back.
enum TableConversion {
    /// Columns and rows from a list of records, a record of columns, or a list of lists.
    static func table(_ data: Value, columns selected: [String]?, context: CallContext) throws -> ([String], [[TableCell]]) {
        switch data {
        case .list(let items) where items.allSatisfy({ if case .record = $0 { return true } else { return false } }) && !items.isEmpty:
            let records = items.compactMap { item -> Record? in if case .record(let r) = item { return r } else { return nil } }
            var names: [String] = []
            for record in records { for key in record.keys where !names.contains(key) { names.append(key) } }
            let columns = try chosen(selected, from: names, context: context)
            return (columns, try records.map { record in try columns.map { try cell(record[$0] ?? .nilValue, context) } })
        case .list(let items):
            let rows = try items.map { item -> [Value] in
                guard case .list(let row) = item else {
                    throw context.error(Messages.text("table: expects a list of records, a record of columns or a list of rows (lists); an item is a {type}", ["type": item.typeName]))
                }
                return row
            }
            let width = rows.map(\.count).max() ?? 0
            let columns = selected ?? (0..<width).map { "\($0 + 1)" }
            guard rows.allSatisfy({ $0.count == columns.count }) else {
                throw context.error(Messages.text("table: every row needs {count} cells (one per column)", ["count": String(columns.count)]))
            }
            return (columns, try rows.map { try $0.map { try cell($0, context) } })
        case .record(let record):
            let columns = try chosen(selected, from: record.keys, context: context)
            let lists = try columns.map { name -> [Value] in
                switch record[name] ?? .nilValue {
                case .list(let items): return items
                case .host(let object as TensorValue) where object.tensor.rank == 1:
                    return object.tensor.data.map { .number(Double($0)) }
                case let other: throw context.error(Messages.text("table: column '{name}' must be a list, got {type}", ["name": name, "type": other.typeName]))
                }
            }
            let count = lists.first?.count ?? 0
            guard lists.allSatisfy({ $0.count == count }) else {
                throw context.error(Messages.text("table: the columns have different lengths ({lengths})", ["lengths": lists.map { String($0.count) }.joined(separator: ", ")]))
            }
            return (columns, try (0..<count).map { r in try lists.map { try cell($0[r], context) } })
        default:
            throw context.error(Messages.text("table: expects a list of records, a record of columns or a list of rows, got {type}", ["type": data.typeName]))
        }
    }

    private static func chosen(_ selected: [String]?, from names: [String], context: CallContext) throws -> [String] {
        guard let selected else { return names }
        for name in selected where !names.contains(name) {
            throw context.error(Suggestions.message(for: name, in: names,
                plain: { Messages.text("table: no column '{name}'", ["name": name]) },
                suggesting: { Messages.text("table: no column '{name}'; did you mean '{suggestion}'?", ["name": name, "suggestion": $0]) }))
        }
        return selected
    }

    /// A value as a cell: numbers, text, nil (empty), {mean, std} (mean ± std), a one-element tensor.
    static func cell(_ value: Value, _ context: CallContext) throws -> TableCell {
        switch value {
        case .number(let v): return .number(v)
        case .string(let s): return .text(s)
        case .nilValue: return .empty
        case .record(let r) where r["mean"] != nil:
            guard case .number(let mean)? = r["mean"] else { throw context.error(Messages.text("table: mean must be a number")) }
            if case .number(let std)? = r["std"] { return .number(mean, error: std) }
            return .number(mean)
        case .host(let object as TensorValue) where object.tensor.count == 1:
            return .number(Double(object.tensor.data[0]))
        default: return .text(value.displayString)
        }
    }

    /// The rows as records: a number as a number, a ± cell in column c as c and c_std.
    static func records(_ table: Table) -> Value {
        .list(table.rows.map { row in
            var pairs: [(String, Value)] = []
            for (name, cell) in zip(table.columns, row) {
                switch cell {
                case .text(let s): pairs.append((name, .string(s)))
                case .empty: pairs.append((name, .nilValue))
                case let .number(v, error):
                    pairs.append((name, .number(v)))
                    if let error { pairs.append((name + "_std", .number(error))) }
                }
            }
            return .record(Record(pairs))
        })
    }
}
