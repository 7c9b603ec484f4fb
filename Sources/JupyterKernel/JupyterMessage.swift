import Foundation
import LabSupport

/// One Jupyter message (protocol 5.3): the routing identities it came with, its four JSON
/// parts and any binary buffers.
public struct JupyterMessage: Sendable {
    public static let protocolVersion = "5.3"

    public var identities: [Data]
    public var header: JSON
    public var parentHeader: JSON
    public var metadata: JSON
    public var content: JSON
    public var buffers: [Data] = []

    public var type: String { header["msg_type"]?.string ?? "" }
    public var id: String { header["msg_id"]?.string ?? "" }

    /// A new message of `type` answering (or caused by) `parent`.
    public init(type: String, content: JSON, parent: JupyterMessage?, session: String,
                identities: [Data] = [], metadata: JSON = [:]) {
        self.identities = identities
        self.header = [
            "msg_id": .string(UUID().uuidString.lowercased()),
            "session": .string(session),
            "username": .string(parent?.header["username"]?.string ?? "selfsup"),
            "date": .string(JupyterMessage.timestamp()),
            "msg_type": .string(type),
            "version": .string(JupyterMessage.protocolVersion),
        ]
        self.parentHeader = parent?.header ?? [:]
        self.metadata = metadata
        self.content = content
    }

    init(identities: [Data], header: JSON, parentHeader: JSON, metadata: JSON, content: JSON, buffers: [Data]) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// ISO 8601 with microseconds, in UTC, as Jupyter writes dates.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, Int(now.tv_nsec / 1000))
    }
}

/// Why a received message was refused.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case noDelimiter
    case tooFewFrames(Int)
    case badSignature
    case replayed
    case tooLarge(Int)
    case notJSON(String)
    case noMessageType

    public var description: String {
        switch self {
        case .noDelimiter: return "no <IDS|MSG> delimiter"
        case .tooFewFrames(let n): return "\(n) frames after the delimiter (at least 5 needed)"
        case .badSignature: return "wrong signature"
        case .replayed: return "a replay (its signature was seen before)"
        case .tooLarge(let bytes):
            return "\(bytes) bytes, over the limit of \(KernelLimits.maxMessageBytes) bytes a message may have"
        case .notJSON(let part): return "the \(part) is not a JSON object"
        case .noMessageType: return "the header has no msg_type"
        }
    }
}

/// The wire format: `identities… <IDS|MSG> signature header parent_header metadata content
/// buffers…`, the signature an HMAC of the four JSON frames.
public struct WireCodec: Sendable {
    public static let delimiter = Data("<IDS|MSG>".utf8)
    public let signer: MessageSigner

    public init(signer: MessageSigner) { self.signer = signer }

    public func encode(_ message: JupyterMessage) -> [Data] {
        let parts = [message.header.data, message.parentHeader.data, message.metadata.data, message.content.data]
        let signature = Data(signer.signature(parts).utf8)
        return message.identities + [WireCodec.delimiter, signature] + parts + message.buffers
    }

    /// Checks the signature first, then (when signing is on) that `isNew` accepts it, then
    /// parses; a refused message throws and is never handled. `isNew` sees only signatures
    /// that verified: the kernel passes its `SignatureHistory`, so a replay is refused.
    public func decode(_ frames: [Data], isNew: (Data) -> Bool = { _ in true }) throws(WireError) -> JupyterMessage {
        guard let split = frames.firstIndex(of: WireCodec.delimiter) else { throw .noDelimiter }
        let rest = Array(frames[(split + 1)...])
        guard rest.count >= 5 else { throw .tooFewFrames(rest.count) }
        let parts = Array(rest[1...4])
        guard signer.verify(rest[0], frames: parts) else { throw .badSignature }
        guard !signer.isSigning || isNew(rest[0]) else { throw .replayed }
        let names = ["header", "parent header", "metadata", "content"]
        var values: [JSON] = []
        for (part, name) in zip(parts, names) {
            guard let value = JSON.parse(part), value.object != nil else { throw .notJSON(name) }
            values.append(value)
        }
        guard values[0]["msg_type"]?.string != nil else { throw .noMessageType }
        return JupyterMessage(identities: Array(frames[..<split]), header: values[0], parentHeader: values[1],
                              metadata: values[2], content: values[3], buffers: Array(rest.dropFirst(5)))
    }
}
