import Display
import LabScript
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
        if case .cancelled = error { throw RuntimeError(.cancelled, "interrupted", at: context.range) }
        throw context.error(scriptMessage(for: error))
    } catch {
        throw context.error(scriptMessage(for: error))
    }
}

/// The message of a library error, with a Swift operation name at its start written as
/// the script builtin is (`crossEntropy: …` becomes `cross_entropy: …`).
func scriptMessage(for error: any Error) -> String {
    let text = String(describing: error)
    guard let colon = text.firstIndex(of: ":") else { return text }
    let op = text[..<colon]
    guard op.allSatisfy({ $0.isLetter || $0.isNumber }), op.contains(where: \.isUppercase) else { return text }
    var snake = ""
    for character in op {
        if character.isUppercase {
            snake += "_" + character.lowercased()
        } else {
            snake.append(character)
        }
    }
    return snake + text[colon...]
}

extension CallContext {
    /// Throws a limit error unless a tensor of `shape` may be created: the same check
    /// (`ElementLimit`, bound to `limits.maxElements` for the run) as every tensor op's.
    func checkShape(_ shape: [Int], operation: String) throws {
        do {
            try ElementLimit.check(shape, op: operation, limit: Swift.min(ElementLimit.maxElements, limits.maxElements))
        } catch let error as TensorError {
            if case .tooLarge = error { throw RuntimeError(.limit, error.description, at: range) }
            throw self.error(error.description)
        }
    }

}
