#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C for the REPL. A SIGINT handler counts interrupts instead of ending the process;
/// the REPL reads the count to clear the prompt line or to cancel a running computation.
///
/// The handler only increments a counter (async-signal-safe); everything else happens
/// on ordinary threads that poll `count`. The handler is installed without `SA_RESTART`,
/// so a blocking read at the prompt returns and the line can be cleared.
public enum Interrupts {
    nonisolated(unsafe) private static var counter: Int = 0
    nonisolated(unsafe) private static var installed = false

    /// Installs the counting SIGINT handler (once).
    public static func install() {
        guard !installed else { return }
        installed = true
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in Interrupts.counter &+= 1 }
        #else
        action.__sigaction_u.__sa_handler = { _ in Interrupts.counter &+= 1 }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// How many interrupts have arrived since `install()`.
    public static var count: Int { counter }
}
