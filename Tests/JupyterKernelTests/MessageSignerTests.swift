import Foundation
import Testing
@testable import JupyterKernel

@Suite struct MessageSignerTests {
    let frames = [#"{"msg_id":"1"}"#, "{}", "{}", #"{"code":"1+1"}"#].map { Data($0.utf8) }

    /// Golden value from Python: `h = hmac.new(b'secret-key', digestmod=hashlib.sha256)`,
    /// `h.update(frame)` for each of the four frames, `h.hexdigest()`.
    static let golden = "f29edc2ae347e99e996cf426a9068abd72bbac08f131d7b7d863f0430600434a"

    @Test func signsLikePythonsHMAC() throws {
        let signer = try MessageSigner(key: "secret-key")
        #expect(signer.signature(frames) == Self.golden)
        #expect(signer.verify(Data(Self.golden.utf8), frames: frames))
    }

    @Test func refusesAWrongOrMalformedSignature() throws {
        let signer = try MessageSigner(key: "secret-key")
        var wrong = Array(Self.golden.utf8)
        wrong[0] = wrong[0] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(!signer.verify(Data(wrong), frames: frames))
        #expect(!signer.verify(Data("zz".utf8), frames: frames))
        #expect(!signer.verify(Data(Self.golden.utf8), frames: Array(frames.reversed())))
        let otherKey = try MessageSigner(key: "other-key")
        #expect(!otherKey.verify(Data(Self.golden.utf8), frames: frames))
    }

    @Test func anEmptyKeyTurnsSigningOff() throws {
        let signer = try MessageSigner(key: "")
        #expect(signer.signature(frames) == "")
        #expect(signer.verify(Data(), frames: frames))
    }

    @Test func onlyHMACSHA256IsAccepted() {
        #expect(throws: KernelError.self) { try MessageSigner(key: "k", scheme: "hmac-md5") }
    }
}
