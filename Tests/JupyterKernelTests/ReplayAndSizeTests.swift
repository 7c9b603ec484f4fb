import Foundation
import Testing
@testable import JupyterKernel

/// Refusing replays (a bounded history of signatures) and oversized messages.
@Suite struct ReplayAndSizeTests {
    func signature(_ n: Int) -> Data {
        Data(String(format: "%064x", n).utf8)
    }

    /// Which of `signatures` the history accepted, in order.
    func accepted(_ signatures: [Data], by history: inout SignatureHistory) -> [Bool] {
        signatures.map { history.insert($0) }
    }

    @Test func aSignatureIsAcceptedOnce() {
        var history = SignatureHistory(capacity: 8)
        let results = accepted([signature(1), signature(2), signature(1), signature(2)], by: &history)
        #expect(results == [true, true, false, false])
        #expect(history.count == 2)
    }

    @Test func theSameBytesInUpperCaseAreStillAReplay() {
        var history = SignatureHistory(capacity: 8)
        let lower = Data("00000000000000000000000000000000000000000000000000000000000000ab".utf8)
        let upper = Data(String(decoding: lower, as: UTF8.self).uppercased().utf8)
        let results = accepted([lower, upper, Data("not hex".utf8)], by: &history)
        #expect(results == [true, false, false], "upper case is the same signature; what is not one is refused")
    }

    @Test func theHistoryIsBoundedAndForgetsTheOldestFirst() {
        var history = SignatureHistory(capacity: 4)
        let first = accepted((0..<10).map(signature), by: &history)
        #expect(first == Array(repeating: true, count: 10))
        #expect(history.count == 4)
        let latest = accepted((6..<10).map(signature), by: &history)
        #expect(latest == [false, false, false, false], "the latest 4 are remembered")
        let oldest = accepted([signature(0)], by: &history)
        #expect(oldest == [true], "the oldest were forgotten")
        #expect(history.count == 4)
    }

    @Test func theCodecRefusesAReplayedMessage() throws {
        let codec = WireCodec(signer: try MessageSigner(key: "k"))
        let message = JupyterMessage(type: "execute_request", content: ["code": "x = 1"], parent: nil, session: "s",
                                     identities: [Data("client".utf8)])
        let frames = codec.encode(message)
        var history = SignatureHistory()
        let decoded = try codec.decode(frames) { history.insert($0) }
        #expect(decoded.type == "execute_request")
        #expect(throws: WireError.replayed) { try codec.decode(frames) { history.insert($0) } }
        // A wrongly signed message never reaches the history.
        var forged = frames
        forged[2] = Data(String(repeating: "0", count: 64).utf8)
        #expect(throws: WireError.badSignature) { try codec.decode(forged) { history.insert($0) } }
        #expect(history.count == 1)
        // A new message (a new msg_id) is accepted.
        _ = try codec.decode(codec.encode(message.resent())) { history.insert($0) }
        #expect(history.count == 2)
    }

    @Test func aMessageOverTheLimitIsReadAndDropped() throws {
        let context = try ZMQContext()
        let server = try ZMQSocket(context, .router)
        let client = try ZMQSocket(context, .dealer)
        let endpoint = "inproc://size-\(UUID().uuidString)"
        try server.bind(endpoint)
        try client.connect(endpoint)
        // Each frame is under the limit, together they are over it (inproc skips
        // ZMQ_MAXMSGSIZE, so this is the receiver's own count).
        let half = Data(count: KernelLimits.maxMessageBytes / 2 + 1)
        #expect(client.send([Data("a".utf8), half, half]))
        #expect(client.send([Data("small".utf8)]))
        guard case .tooLarge(let bytes)? = server.receive(timeout: 30) else {
            Issue.record("the oversized message was not refused"); return
        }
        #expect(bytes >= 1 + 2 * half.count, "every frame is counted (and the router's identity)")
        guard case .frames(let frames)? = server.receive(timeout: 30) else {
            Issue.record("the message after it was not received"); return
        }
        #expect(frames.last == Data("small".utf8), "the next message is whole")
        let nearLimit = Data(count: KernelLimits.maxMessageBytes - 64)   // 64: room for the identity frame
        #expect(client.send([nearLimit]))
        guard case .frames(let atLimit)? = server.receive(timeout: 30) else {
            Issue.record("a message just under the limit was refused"); return
        }
        #expect(atLimit.last == nearLimit)
    }
}

extension JupyterMessage {
    /// The same request under a new msg_id.
    func resent() -> JupyterMessage {
        JupyterMessage(type: type, content: content, parent: nil, session: "s", identities: identities)
    }
}
