import LabScript
import LabSupport
import TensorCore

/// Reading tensors, shapes and axes out of script values.
enum TensorConversion {
    /// A tensor from a script value: a tensor as it is, a number or bool as a scalar
    /// (shape `[]`), a (nested) list of numbers as a tensor of that shape.
    static func tensor(from value: Value, context: CallContext, what: String) throws -> Tensor {
        switch value {
        case .host(let object as TensorValue): return object.tensor
        case .number(let number): return Tensor(shape: [], data: [try float32(number, context: context, what: what)])
        case .bool(let flag): return Tensor(shape: [], data: [flag ? 1 : 0])
        case .list:
            var shape: [Int] = []
            var probe = value
            while case .list(let items) = probe {
                shape.append(items.count)
                guard let first = items.first else { break }
                probe = first
            }
            try context.checkShape(shape, operation: what)
            var data: [Float] = []
            data.reserveCapacity(shape.reduce(1, *))
            try fill(value, depth: 0, shape: shape, data: &data, context: context, what: what)
            return Tensor(shape: shape, data: data)
        case .range(let range):
            try context.checkShape([range.count], operation: what)
            return Tensor(shape: [range.count], data: (0..<range.count).map { Float(range.element($0)) })
        default:
            throw context.error(Messages.text("{function}: expected a tensor, a number or a list of numbers, got {type}",
                                              ["function": what, "type": value.typeName]))
        }
    }

    /// A script number as a tensor element. A finite number beyond Float32's range would
    /// silently become ±∞ (and then read as "not finite"), so it is an error that says so.
    static func float32(_ number: Double, context: CallContext, what: String) throws -> Float {
        guard let value = float32(number) else {
            throw context.error(Messages.text("{function}: {number} is outside Float32's range (about ±3.4e38); tensors hold 32-bit floats",
                                              ["function": what, "number": Value.format(number)]))
        }
        return value
    }

    /// `number` as a Float, or nil when it is finite but beyond Float32's range.
    static func float32(_ number: Double) -> Float? {
        let value = Float(number)
        return value.isFinite || !number.isFinite ? value : nil
    }

    /// Appends the numbers of nested lists of the given shape, row-major; a ragged list
    /// is an error naming both lengths.
    private static func fill(_ value: Value, depth: Int, shape: [Int], data: inout [Float],
                             context: CallContext, what: String) throws {
        if depth < shape.count {
            guard case .list(let items) = value else {
                let values = ["function": what, "type": value.typeName, "count": String(shape[depth])]
                throw context.error(Messages.text("{function}: the nested lists are ragged (a {type} where a list of {count} was expected); a tensor must be rectangular", values))
            }
            guard items.count == shape[depth] else {
                throw context.error(Messages.text("{function}: rows of different lengths ({a} and {b}); a tensor must be rectangular",
                                                  ["function": what, "a": String(shape[depth]), "b": String(items.count)]))
            }
            for item in items { try fill(item, depth: depth + 1, shape: shape, data: &data, context: context, what: what) }
            return
        }
        switch value {
        case .number(let number): data.append(try float32(number, context: context, what: what))
        case .bool(let flag): data.append(flag ? 1 : 0)
        case .host(let object as TensorValue) where object.tensor.rank == 0: data.append(object.tensor.data[0])
        case .list:
            throw context.error(Messages.text("{function}: the nested lists are ragged (a list where a number was expected); a tensor must be rectangular",
                                              ["function": what]))
        default:
            throw context.error(Messages.text("{function}: a tensor holds numbers, found a {type} in the list", ["function": what, "type": value.typeName]))
        }
    }

    /// The values of a tensor as nested lists of numbers (a scalar as a number).
    static func list(from tensor: Tensor) -> Value {
        func build(_ axis: Int, _ offset: Int) -> Value {
            if axis == tensor.rank { return .number(Double(tensor.data[offset])) }
            let stride = tensor.shape[(axis + 1)...].reduce(1, *)
            return .list((0..<tensor.shape[axis]).map { build(axis + 1, offset + $0 * stride) })
        }
        return build(0, 0)
    }

    /// Whole numbers from a tensor or list, e.g. class labels or indices.
    static func integers(from value: Value, context: CallContext, what: String) throws -> [Int] {
        let tensor = try tensor(from: value, context: context, what: what)
        return try tensor.data.map { element in
            guard element.isFinite, element == element.rounded(), Swift.abs(element) < 1e9 else {
                throw context.error(Messages.text("{function}: expected whole numbers, found {value}", ["function": what, "value": "\(element)"]))
            }
            return Int(element)
        }
    }
}

extension BoundArguments {
    /// Argument `name` as a tensor (numbers and nested lists are converted).
    func tensor(_ name: String, _ context: CallContext) throws -> Tensor {
        switch self[name] {
        case .host(is TensorValue), .number, .bool, .list, .range: break
        default:
            var error = context.error(Messages.text("{function}: argument '{name}': expected a tensor, a number or a list of numbers, got {type}",
                                                    ["function": functionName, "name": name, "type": self[name].typeName]))
            error.range = range(of: name)
            throw error
        }
        do {
            return try TensorConversion.tensor(from: self[name], context: context, what: functionName)
        } catch var error as RuntimeError {
            error.message = "\(functionName): argument '\(name)': " + error.message.replacingOccurrences(of: "\(functionName): ", with: "")
            error.range = range(of: name)
            throw error
        }
    }

    /// Argument `name` as a tensor, or nil when it is nil.
    func optionalTensor(_ name: String, _ context: CallContext) throws -> Tensor? {
        self[name].isNil ? nil : try tensor(name, context)
    }

    /// An axis argument (`axis: -1`), or nil when not given.
    func axis(_ name: String = "axis") throws -> Int? {
        try optionalInt(name)
    }

    /// A shape from variadic integers (`zeros(2, 3)` or `zeros([2, 3])`).
    func shape(_ context: CallContext) throws -> [Int] {
        let dims = try variadicInts()
        try context.checkShape(dims, operation: functionName)
        return dims
    }

    /// A `Float` from a number argument; a finite number beyond Float32's range is an error
    /// located at the argument, not a silent ±∞.
    func float(_ name: String) throws -> Float {
        let number = try number(name)
        guard let value = TensorConversion.float32(number) else {
            throw RuntimeError(.argument, Messages.text("{function}: argument '{name}': {number} is outside Float32's range (about ±3.4e38)",
                                                        ["function": functionName, "name": name, "number": Value.format(number)]),
                               at: range(of: name))
        }
        return value
    }
}
