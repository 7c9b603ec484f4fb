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
    /// Throws a limit error unless a tensor of `shape` may be created.
    func checkShape(_ shape: [Int], operation: String) throws {
        if let negative = shape.first(where: { $0 < 0 }) {
            throw error("\(operation): negative dimension \(negative) in shape \(formatShape(shape))")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow {
                throw RuntimeError(.limit, "\(operation): shape \(formatShape(shape)) is far too large", at: range)
            }
            count = product
        }
        do {
            try checkElementCount(count, operation: operation)
        } catch var limit as RuntimeError {
            limit.range = range
            throw limit
        }
    }

}
