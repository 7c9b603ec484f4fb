/// The kernel's bounds on what its clients send and on how it batches what it publishes,
/// in one place.
public enum KernelLimits {
    /// The most bytes one inbound message may have, all its frames together. The largest
    /// message a client legitimately sends is an `execute_request` carrying a cell of code
    /// (this kernel has no comms and reads no files through messages): 4 MiB is some 50,000
    /// lines of 80 characters. libzmq refuses a larger frame from its length prefix, before
    /// reading it (`ZMQ_MAXMSGSIZE`: the peer is disconnected and reconnects); a message
    /// whose frames add up to more is read frame by frame, dropped and logged.
    public static let maxMessageBytes = 4 << 20

    /// How many signatures are remembered to refuse a replayed message (jupyter_client's
    /// `digest_history_size`): 65,536 digests of 32 bytes.
    public static let signatureHistory = 1 << 16

    /// Printed text is sent at most this many seconds after it was printed (ipykernel
    /// batches its streams the same way) …
    public static let streamFlushInterval = 0.05
    /// … or as soon as this many bytes wait, and always before any other output.
    public static let streamFlushBytes = 64 << 10
}
