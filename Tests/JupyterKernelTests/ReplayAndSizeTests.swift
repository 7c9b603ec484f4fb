import Foundation
import Testing
@testable import JupyterKernel

/// Refusing replays: a bounded history of signatures.
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
}

extension JupyterMessage {
    /// The same request under a new msg_id.
    func resent() -> JupyterMessage {
        JupyterMessage(type: type, content: content, parent: nil, session: "s", identities: identities)
    }
}
