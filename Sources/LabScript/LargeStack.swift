import Foundation

/// Runs the interpreter on a thread of its own with a large native stack.
///
/// A tree-walking interpreter recurses on the native stack (a script call is a handful of
/// Swift frames, several KB in a debug build). Running every top-level run on a dedicated
/// thread makes the recursion limits the same whatever thread the host calls from (a
/// dispatch queue may have only 512 KB), and lets `InterpreterLimits.maxStackBytes` be a
/// known fraction of a known stack. The caller blocks until the run ends.
enum LargeStack {
    private final class Box<T>: @unchecked Sendable {
        var body: (() -> T)?
        var result: T?
    }

    static func run<T>(stackSize: Int, _ body: () -> T) -> T {
        withoutActuallyEscaping(body) { escapable in
            let box = Box<T>()
            box.body = escapable
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                box.result = box.body?()
                done.signal()
            }
            thread.stackSize = stackSize
            thread.start()
            done.wait()
            box.body = nil
            guard let result = box.result else {
                preconditionFailure("LargeStack: the interpreter thread ended without a result")
            }
            return result
        }
    }
}
