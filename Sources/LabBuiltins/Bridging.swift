import Display
import LabScript
import LabSupport
import SelfSupervised
import TensorCore
import ToyData

/// Turning library errors into script errors at the call site.
///
/// The numerical modules throw their own error types (`TensorError`, `DisplayError`, …),
/// whose descriptions already name the operation and the shapes. Here they become a
/// `RuntimeError` pointing at the script's call, so the learner sees
/// `file:line:col: error: matmul: shapes [2, 3] and [4, 5] do not match`.
func bridged<T>(_ context: CallContext, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as RuntimeError {
        if error.range == nil {
            var located = error
            located.range = context.range
            throw located
        }
        throw error
    } catch let error as TensorError {
        if case .tooLarge = error { throw RuntimeError(.limit, scriptMessage(for: error), at: context.range) }
        if case .cancelled = error { throw RuntimeError(.cancelled, Messages.text("interrupted"), at: context.range) }
        throw context.error(scriptMessage(for: error))
    } catch {
        throw context.error(scriptMessage(for: error))
    }
}

/// The message of a library error, with a Swift operation name at its start written as
/// the script builtin is (`crossEntropy: …` becomes `cross_entropy: …`). A shape mismatch
/// and an argument error with values (`TensorError.argument`, `ToyDataError.argument`)
/// are shown in the chosen language, their English sentence the catalogue's key.
func scriptMessage(for error: any Error) -> String {
    switch error {
    case let TensorError.shapeMismatch(op, lhs, rhs, detail):
        return shapeMismatchMessage(op: snakeCase(op), lhs: lhs, rhs: rhs, detail: detail)
    case let TensorError.argument(op, template, values), let ToyDataError.argument(op, template, values):
        return Messages.text("{function}: {message}", ["function": snakeCase(op), "message": Messages.text(template, values)])
    default: break
    }
    let text = String(describing: error)
    guard let colon = text.firstIndex(of: ":") else { return text }
    let op = text[..<colon]
    guard op.allSatisfy({ $0.isLetter || $0.isNumber }), op.contains(where: \.isUppercase) else { return text }
    return snakeCase(String(op)) + text[colon...]
}

/// `cosineSimilarity` → `cosine_similarity` (a name without capitals is kept).
func snakeCase(_ name: String) -> String {
    guard name.allSatisfy({ $0.isLetter || $0.isNumber }) else { return name }
    var snake = ""
    for character in name {
        if character.isUppercase {
            snake += "_" + character.lowercased()
        } else {
            snake.append(character)
        }
    }
    return snake
}

/// A shape mismatch in the chosen language (`Messages.text`): in English the text of
/// `TensorError.description`. The commonest, two shapes that do not broadcast, is translated
/// whole, its dimension found again from the shapes as `broadcastShape` finds it; so are
/// matmul's inner dimensions and the fixed details (ranks differ, …); another mismatch's
/// detail stays as the operation wrote it.
func shapeMismatchMessage(op: String, lhs: [Int], rhs: [Int], detail: String) -> String {
    var values = ["op": op, "lhs": formatShape(lhs), "rhs": formatShape(rhs)]
    if detail.hasSuffix("(broadcasting needs equal sizes or 1)") {
        let rank = max(lhs.count, rhs.count)
        for axis in 0..<rank {
            let a = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
            let b = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
            guard a != b && a != 1 && b != 1 else { continue }
            values.merge(["axis": String(axis), "a": String(a), "b": String(b)]) { $1 }
            return Messages.text("{op}: shapes {lhs} and {rhs} do not match: dimension {axis} is {a} vs {b} (broadcasting needs equal sizes or 1)", values)
        }
    }
    if lhs.count >= 2, rhs.count >= 2, detail == "inner dimensions \(lhs[lhs.count - 1]) and \(rhs[rhs.count - 2]) differ" {
        values.merge(["k": String(lhs[lhs.count - 1]), "kb": String(rhs[rhs.count - 2])]) { $1 }
        return Messages.text("{op}: shapes {lhs} and {rhs} do not match: inner dimensions {k} and {kb} differ", values)
    }
    switch detail {
    case "": return Messages.text("{op}: shapes {lhs} and {rhs} do not match", values)
    case "ranks differ": return Messages.text("{op}: shapes {lhs} and {rhs} do not match: ranks differ", values)
    case "all shapes must be equal": return Messages.text("{op}: shapes {lhs} and {rhs} do not match: all shapes must be equal", values)
    case "needs 2-D or 3-D (batched) operands":
        return Messages.text("{op}: shapes {lhs} and {rhs} do not match: needs 2-D or 3-D (batched) operands", values)
    case "needs input [N, in] and weight [out, in]":
        return Messages.text("{op}: shapes {lhs} and {rhs} do not match: needs input [N, in] and weight [out, in]", values)
    default: break
    }
    values["detail"] = detail
    return Messages.text("{op}: shapes {lhs} and {rhs} do not match: {detail}", values)
}

extension CallContext {
    /// Throws a limit error unless a tensor of `shape` may be created: the same check
    /// (`ElementLimit`, bound to `limits.maxElements` for the run) as every tensor op's.
    func checkShape(_ shape: [Int], operation: String) throws {
        do {
            try ElementLimit.check(shape, op: operation, limit: Swift.min(ElementLimit.maxElements, limits.maxElements))
        } catch let error as TensorError {
            if case .tooLarge = error { throw RuntimeError(.limit, error.description, at: range) }
            throw self.error(scriptMessage(for: error))
        }
    }

}
