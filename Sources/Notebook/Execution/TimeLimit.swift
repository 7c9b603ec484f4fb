import Dispatch
import Foundation
import LabScript

/// Stops runaway code after a time limit, two ways at once: the interpreter's own
/// `maxSeconds` (checked at loop iterations and calls, so `while true {}` stops with a
/// located error), and a watchdog that raises the cancellation flag a little later, for
/// long native work that polls cancellation. A watchdog armed for one run can never
/// cancel a later run: each arming has a generation, and disarming moves it on under
/// the same lock the watchdog takes before cancelling (a stale cancel before the next
/// run is cleared, since the interpreter resets the flag when a run starts).
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = 0
    private let flag: CancellationFlag

    init(flag: CancellationFlag) {
        self.flag = flag
    }

    /// Raises the flag after `seconds` unless `disarm` is called first; returns a token.
    func arm(seconds: Double) -> Int {
        lock.lock()
        generation += 1
        let token = generation
        lock.unlock()
        let nanoseconds = UInt64(max(0, seconds) * 1e9)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(min(nanoseconds, UInt64(Int.max))))) { [self] in
            lock.lock()
            if generation == token { flag.cancel() }
            lock.unlock()
        }
        return token
    }

    func disarm(_ token: Int) {
        lock.lock()
        if generation == token { generation += 1 }
        lock.unlock()
    }
}
