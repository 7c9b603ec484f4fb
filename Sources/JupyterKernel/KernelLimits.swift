/// The kernel's bounds on what its clients send, in one place.
public enum KernelLimits {
    /// How many signatures are remembered to refuse a replayed message (jupyter_client's
    /// `digest_history_size`): 65,536 digests of 32 bytes.
    public static let signatureHistory = 1 << 16
}
