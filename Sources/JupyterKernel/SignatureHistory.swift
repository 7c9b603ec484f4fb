import Foundation

/// The signatures of the messages already accepted, so that a captured message sent
/// again byte for byte is refused (jupyter_client refuses a repeated signature too).
/// Bounded: it keeps the latest `capacity` signatures and forgets the oldest first.
/// Signatures are compared as the 32 bytes they spell, so the same one in upper-case hex
/// (which verifies as well) is still a replay.
public struct SignatureHistory: Sendable {
    struct Digest: Hashable, Sendable { var a, b, c, d: UInt64 }

    public let capacity: Int
    private var seen: Set<Digest> = []
    private var order: [Digest] = []   // a ring: once full, `next` is the oldest
    private var next = 0

    public init(capacity: Int = KernelLimits.signatureHistory) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { seen.count }

    /// Records `signature` (64 hex digits); false when it was seen before, or is not a
    /// signature at all.
    public mutating func insert(_ signature: Data) -> Bool {
        guard let bytes = MessageSigner.bytes(fromHex: signature) else { return false }
        let words = bytes.withUnsafeBytes { raw in (0..<4).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) } }
        let digest = Digest(a: words[0], b: words[1], c: words[2], d: words[3])
        guard seen.insert(digest).inserted else { return false }
        if order.count < capacity {
            order.append(digest)
        } else {
            seen.remove(order[next])
            order[next] = digest
            next = (next + 1) % capacity
        }
        return true
    }
}
