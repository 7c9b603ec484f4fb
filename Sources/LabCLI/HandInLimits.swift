import Foundation
import LabScript
import LabSupport
#if canImport(Glibc)
import Glibc
#endif

/// The limits one hand-in's grading process runs under when a class is graded. The class
/// run passes them to each worker, which sets the kernel's limits on itself (`apply`,
/// setrlimit) before it reads the hand-in; the wall-clock limit is the class run's own
/// (it kills the worker's process group). Inside them the grader's own limits hold as in
/// single grading (10 s a test unless it says otherwise, 30 s a learner cell, 4 million
/// elements a tensor), so a hand-in that stays within these limits scores what grading it
/// alone gives.
///
/// | option | default | kernel limit | when it is reached |
/// |---|---|---|---|
/// | `--time-limit S` | 30 s | (the class run's clock) | the process group is killed |
/// | `--cpu-limit S` | 30 s | `RLIMIT_CPU` | SIGXCPU ends the process |
/// | `--memory-limit MIB` | 2048 MiB | `RLIMIT_AS` (address space) | allocation fails, the process ends |
/// | `--output-limit MIB` | 16 MiB | `RLIMIT_FSIZE` (each file written) | printing stops the grading |
/// | `--open-files N` | 64 | `RLIMIT_NOFILE` | opening a file fails |
///
/// Core dumps are off (`RLIMIT_CORE` 0).
struct HandInLimits: Sendable, Equatable {
    var seconds: Double = 30
    var cpuSeconds: Int = 30
    var memoryMiB: Int = 2048
    var outputMiB: Int = 16
    var openFiles: Int = 64

    /// The smallest address space the Swift runtime, Foundation and OpenBLAS start in
    /// (with room for the interpreter's 64 MiB stack and OpenBLAS's 128 MiB buffer; at 512 MiB OpenBLAS and Dispatch wait for memory forever).
    static let minimumMemoryMiB = 768

    /// A reason the limits cannot be used, or nil.
    var problem: String? {
        if !(seconds > 0 && seconds <= 86_400) { return Messages.text("--time-limit must be between 0 and 86400 seconds") }
        if !(1...86_400).contains(cpuSeconds) { return Messages.text("--cpu-limit must be between 1 and 86400 seconds") }
        if !(HandInLimits.minimumMemoryMiB...1_048_576).contains(memoryMiB) {
            return Messages.text("--memory-limit must be at least {minimum} MiB (what the lab itself needs to start)",
                                 ["minimum": String(HandInLimits.minimumMemoryMiB)])
        }
        if !(1...1_048_576).contains(outputMiB) { return Messages.text("--output-limit must be at least 1 MiB") }
        if !(16...65_536).contains(openFiles) { return Messages.text("--open-files must be between 16 and 65536") }
        return nil
    }

    /// The limits in words, for the summary and the help.
    var description: String {
        Messages.text("Limits per hand-in: {seconds} s wall-clock (--time-limit), {cpu} s CPU (--cpu-limit), {memory} MiB address space (--memory-limit), {output} MiB per output file (--output-limit), {files} open files (--open-files).", [
                        "seconds": Value.format(seconds), "cpu": String(cpuSeconds),
                        "memory": String(memoryMiB), "output": String(outputMiB), "files": String(openFiles)])
    }

    /// The options that hand these limits to a worker.
    var workerArguments: [String] {
        ["--time-limit", Value.format(seconds), "--cpu-limit", String(cpuSeconds),
         "--memory-limit", String(memoryMiB), "--output-limit", String(outputMiB), "--open-files", String(openFiles)]
    }

    var outputBytes: Int { outputMiB << 20 }

    /// Sets the kernel's limits on this process (the worker calls it before it reads the
    /// hand-in). A limit is never raised above the hard limit the process already has.
    func apply() throws(LimitError) {
        #if canImport(Glibc)
        try set(RLIMIT_CORE, 0, 0)
        // SIGXCPU at the soft limit; the hard limit a little later kills a process that ignores it.
        try set(RLIMIT_CPU, rlim_t(cpuSeconds), rlim_t(cpuSeconds + 5))
        try set(RLIMIT_AS, rlim_t(memoryMiB) << 20, rlim_t(memoryMiB) << 20)
        try set(RLIMIT_FSIZE, rlim_t(outputMiB) << 20, rlim_t(outputMiB) << 20)
        try set(RLIMIT_NOFILE, rlim_t(openFiles), rlim_t(openFiles))
        #endif
    }

    struct LimitError: Error, CustomStringConvertible {
        var description: String
    }

    #if canImport(Glibc)
    private func set(_ resource: __rlimit_resource, _ soft: rlim_t, _ hard: rlim_t) throws(LimitError) {
        let kind = __rlimit_resource_t(resource.rawValue)
        var current = rlimit()
        guard getrlimit(kind, &current) == 0 else {
            throw LimitError(description: "getrlimit(\(resource.rawValue)): " + String(cString: strerror(errno)))
        }
        var limit = rlimit(rlim_cur: min(soft, current.rlim_max), rlim_max: min(hard, current.rlim_max))
        guard setrlimit(kind, &limit) == 0 else {
            throw LimitError(description: "setrlimit(\(resource.rawValue)): " + String(cString: strerror(errno)))
        }
    }
    #endif
}
