import Foundation
import LabSupport
import Testing
@testable import JupyterKernel

@Suite struct WireCodecTests {
    let codec = WireCodec(signer: try! MessageSigner(key: "k"))

    func request(_ type: String, content: JSON = [:]) -> JupyterMessage {
        JupyterMessage(type: type, content: content, parent: nil, session: "s", identities: [Data("client".utf8)])
    }

    @Test func aSignedMessageRoundTrips() throws {
        let message = request("execute_request", content: ["code": "1 + 1", "silent": false, "n": 3, "x": .double(0.5)])
        let frames = codec.encode(message)
        #expect(frames[0] == Data("client".utf8))
        #expect(frames[1] == WireCodec.delimiter)
        let decoded = try codec.decode(frames)
        #expect(decoded.type == "execute_request")
        #expect(decoded.identities == [Data("client".utf8)])
        #expect(decoded.content == message.content)
        #expect(decoded.content["n"]?.int == 3)
    }

    @Test func refusesWhatIsMalformedOrWronglySigned() {
        var frames = codec.encode(request("kernel_info_request"))
        frames[2] = Data(String(repeating: "0", count: 64).utf8)
        #expect(throws: WireError.badSignature) { try codec.decode(frames) }
        #expect(throws: WireError.noDelimiter) { try codec.decode([Data("garbage".utf8)]) }
        #expect(throws: WireError.tooFewFrames(3)) {
            try codec.decode([WireCodec.delimiter, Data(), Data("{}".utf8), Data("{}".utf8)])
        }
        let unsigned = WireCodec(signer: try! MessageSigner(key: ""))
        #expect(throws: WireError.notJSON("header")) {
            try unsigned.decode([WireCodec.delimiter, Data(), Data("[1".utf8), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8)])
        }
        #expect(throws: WireError.noMessageType) {
            try unsigned.decode([WireCodec.delimiter, Data(), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8), Data("{}".utf8)])
        }
    }

    @Test func historySelectsTailRangeAndSearch() {
        var history = KernelHistory()
        for (n, code) in ["a = 1", "3 * 4", "b = 2", "3 * 4"].enumerated() {
            history.record(line: n + 1, input: code, output: code.hasPrefix("3") ? "12" : nil)
        }
        #expect(history.select(["hist_access_type": "tail", "n": 2]).map(\.line) == [3, 4])
        #expect(history.select(["hist_access_type": "range", "session": 1, "start": 2, "stop": 4]).map(\.line) == [2, 3])
        #expect(history.select(["hist_access_type": "range", "session": 7, "start": 1]).isEmpty)
        #expect(history.select(["hist_access_type": "search", "pattern": "3 *"]).count == 2)
        #expect(history.select(["hist_access_type": "search", "pattern": "3 *", "unique": true]).map(\.line) == [4])
        #expect(history.reply(["hist_access_type": "tail", "n": 1, "output": true])
                == [[1, 4, ["3 * 4", "12"]]])
    }

    @Test func connectionFilesGiveEndpoints() throws {
        let path = NSTemporaryDirectory() + "selfsup-connection-\(UUID().uuidString).json"
        let text = #"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "#
            + #""hb_port": 5005, "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256"}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = try ConnectionInfo.load(path: path)
        #expect(info.endpoint(info.shellPort) == "tcp://127.0.0.1:5001")
        #expect(info.key == "abc")
        #expect(throws: KernelError.self) { try ConnectionInfo.load(path: path + ".missing") }
    }
}
