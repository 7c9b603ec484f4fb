import Crypto
import Foundation
import LabSupport

/// Signs and checks Jupyter messages: HMAC-SHA256 (swift-crypto) over the four JSON
/// frames header, parent header, metadata and content, as lowercase hex. An empty key
/// means no signing (the protocol's "authentication disabled"): the signature is empty.
public struct MessageSigner: Sendable {
    private let keyBytes: Data?
    private var key: SymmetricKey? { keyBytes.map { SymmetricKey(data: $0) } }

    /// `scheme` must be "hmac-sha256" (the only scheme this kernel speaks).
    public init(key: String, scheme: String = "hmac-sha256") throws(KernelError) {
        guard scheme == "hmac-sha256" else {
            throw KernelError.connection(Messages.text("unsupported signature scheme '{scheme}' (only hmac-sha256)", ["scheme": scheme]))
        }
        self.keyBytes = key.isEmpty ? nil : Data(key.utf8)
    }

    /// False when the key is empty: messages are neither signed nor checked.
    public var isSigning: Bool { keyBytes != nil }

    /// The hex signature of the frames, or "" when signing is off.
    public func signature(_ frames: [Data]) -> String {
        guard let key else { return "" }
        var hmac = HMAC<SHA256>(key: key)
        for frame in frames { hmac.update(data: frame) }
        return Data(hmac.finalize()).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is right for the frames (compared in constant time).
    public func verify(_ signature: Data, frames: [Data]) -> Bool {
        guard let key else { return true }
        guard let bytes = MessageSigner.bytes(fromHex: signature) else { return false }
        var hmac = HMAC<SHA256>(key: key)
        for frame in frames { hmac.update(data: frame) }
        let mac = hmac.finalize()
        return mac == bytes
    }

    static func bytes(fromHex hex: Data) -> Data? {
        guard hex.count == 64 else { return nil }
        var out = Data(capacity: 32)
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}

/// What can go wrong when the kernel starts or talks.
public enum KernelError: Error, CustomStringConvertible {
    case connection(String)
    case zmq(String)

    public var description: String {
        switch self {
        case .connection(let text): return text
        case .zmq(let text): return "zmq: " + text
        }
    }
}
