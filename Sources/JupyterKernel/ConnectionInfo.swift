import Foundation
import LabSupport

/// The connection file a Jupyter client writes for the kernel: transport, address, the
/// five ports and the signing key.
public struct ConnectionInfo: Decodable, Sendable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var iopubPort: Int
    public var stdinPort: Int
    public var controlPort: Int
    public var hbPort: Int
    public var key: String
    public var signatureScheme: String

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port", signatureScheme = "signature_scheme"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try c.decodeIfPresent(String.self, forKey: .ip) ?? "127.0.0.1"
        shellPort = try c.decode(Int.self, forKey: .shellPort)
        iopubPort = try c.decode(Int.self, forKey: .iopubPort)
        stdinPort = try c.decode(Int.self, forKey: .stdinPort)
        controlPort = try c.decode(Int.self, forKey: .controlPort)
        hbPort = try c.decode(Int.self, forKey: .hbPort)
        // No default: an absent key must not silently turn signing off (only "key": "" does).
        guard let key = try c.decodeIfPresent(String.self, forKey: .key) else { throw MissingKey() }
        self.key = key
        signatureScheme = try c.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
    }

    private struct MissingKey: Error {}

    /// Reads and checks a connection file. A file without `key` is refused (ipykernel would
    /// pick a random key, with which no client could talk to it; saying so is clearer).
    public static func load(path: String) throws(KernelError) -> ConnectionInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelError.connection(Messages.text("cannot read the connection file '{file}'", ["file": path]))
        }
        let info: ConnectionInfo
        do { info = try JSONDecoder().decode(ConnectionInfo.self, from: data) } catch is MissingKey {
            throw KernelError.connection(Messages.text("the connection file '{file}' has no \"key\": refusing to start, as anyone who can reach the ports could run code; give the key the client signs with (\"key\": \"\" turns signing off)",
                                                       ["file": path]))
        } catch {
            throw KernelError.connection(Messages.text("the connection file '{file}' is not a Jupyter connection file: {reason}",
                                                       ["file": path, "reason": "\(error)"]))
        }
        guard info.transport == "tcp" || info.transport == "ipc" else {
            throw KernelError.connection(Messages.text("unsupported transport '{transport}' (tcp or ipc)", ["transport": info.transport]))
        }
        return info
    }

    /// The ZeroMQ endpoint of a port: `tcp://ip:port`, or for ipc the file `ip-port`.
    public func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://" + ipcFile(port) : "tcp://\(ip):\(port)"
    }

    /// The ipc transport's socket file for a port (as jupyter_client names it).
    public func ipcFile(_ port: Int) -> String { "\(ip)-\(port)" }
}
