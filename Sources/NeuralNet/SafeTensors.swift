import Foundation
import LabSupport
import TensorCore

/// The safetensors file format (huggingface/safetensors), Float32 only:
///
///     8 bytes     N, the header length, unsigned little-endian
///     N bytes     a JSON object, UTF-8, padded with spaces:
///                 { "<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
///                   …, "__metadata__": {"key": "value", …} }
///     the rest    the tensors' bytes: little-endian Float32, row-major; each tensor's bytes
///                 are buffer[begin..<end], offsets counted from the end of the header
///
/// So a model saved here opens in Python with `safetensors.numpy.load_file(path)` or
/// `safetensors.torch.load_file(path)`, and the other way round.
public enum SafeTensors {
    /// One tensor entry of a file.
    public struct Entry: Equatable, Sendable {
        public var name: String
        /// The dtype string of the header ("F32"; others are reported, not converted).
        public var dtype: String
        public var shape: [Int]
        /// The values, when `dtype` is "F32"; empty otherwise.
        public var values: [Float]
    }

    /// The contents of a file: entries in header order and the `__metadata__` strings.
    public struct Contents: Sendable {
        public var entries: [Entry]
        public var metadata: [String: String]

        /// The entry called `name`.
        public subscript(name: String) -> Entry? { entries.first { $0.name == name } }
    }

    /// The bytes of a file holding `tensors` (in that order) and `metadata`.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSON.quoted($0)):\(JSON.quoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            let end = offset + 4 * tensor.count
            fields.append("\(JSON.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }   // pad with spaces, as the Python writer does
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: header)
        for (_, tensor) in tensors {
            for v in tensor.data {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Parses and checks a whole file: the header length fits the file, the header is a
    /// JSON object of well-formed entries, and every entry's bytes lie inside the buffer and
    /// match its dtype and shape. Throws a `ModelFileProblem` describing the first fault.
    public static func decode(_ bytes: [UInt8]) throws -> Contents {
        guard bytes.count >= 8 else {
            throw ModelFileProblem.truncated("the file has \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw ModelFileProblem.truncated("the header claims \(headerLength) bytes but only \(bytes.count - 8) follow")
        }
        let bufferStart = 8 + Int(headerLength)
        let bufferSize = bytes.count - bufferStart
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<bufferStart]))
        } catch {
            throw ModelFileProblem.badHeader("the header is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw ModelFileProblem.badHeader("the header is not a JSON object")
        }
        if let repeated = SafeTensors.repeatedKey(in: Array(bytes[8..<bufferStart])) {
            throw ModelFileProblem.badHeader("the name \(JSON.quoted(repeated)) appears twice in the header")
        }
        var contents = Contents(entries: [], metadata: [:])
        if let meta = object["__metadata__"] {
            guard let meta = meta as? [String: Any], meta.values.allSatisfy({ $0 is String }) else {
                throw ModelFileProblem.badHeader("__metadata__ must map strings to strings")
            }
            contents.metadata = meta.compactMapValues { $0 as? String }
        }
        var entries: [(begin: Int, end: Int, entry: Entry)] = []
        for (name, value) in object where name != "__metadata__" {
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }),
                  let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw ModelFileProblem.badHeader("entry \"\(name)\" needs a dtype, a shape and two data_offsets")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else {
                throw ModelFileProblem.badHeader("entry \"\(name)\" has data_offsets [\(begin), \(end)]")
            }
            guard end <= bufferSize else {
                throw ModelFileProblem.truncated("entry \"\(name)\" ends at byte \(end) of a \(bufferSize)-byte buffer")
            }
            var entry = Entry(name: name, dtype: dtype, shape: shape, values: [])
            if dtype == "F32" {
                // Checked arithmetic: a shape whose product overflows is a bad header, not a trap.
                var count = 1, overflow = false
                for size in shape {
                    let (product, o) = count.multipliedReportingOverflow(by: size)
                    count = product
                    overflow = overflow || o
                }
                let (bytesNeeded, o) = count.multipliedReportingOverflow(by: 4)
                guard !overflow, !o, end - begin == bytesNeeded else {
                    throw ModelFileProblem.badHeader("entry \"\(name)\" has \(end - begin) bytes for shape \(formatShape(shape)) of F32"
                                                     + (overflow || o ? " (far too few)" : " (needs \(bytesNeeded))"))
                }
                entry.values = readFloats(bytes, from: bufferStart + begin, count: count)
            }
            entries.append((begin, end, entry))
        }
        // The format's rule: the entries tile the buffer exactly, without overlaps (two
        // tensors sharing bytes), holes or trailing bytes (room for a second file inside).
        let sorted = entries.sorted { ($0.begin, $0.end, $0.entry.name) < ($1.begin, $1.end, $1.entry.name) }
        var covered = 0
        for (begin, end, entry) in sorted {
            if begin != covered {
                throw ModelFileProblem.badHeader(begin < covered
                    ? "entry \"\(entry.name)\" starts at byte \(begin), inside the bytes of another entry (entries must not overlap)"
                    : "entry \"\(entry.name)\" starts at byte \(begin), leaving bytes \(covered)..<\(begin) unused")
            }
            covered = end
        }
        if covered != bufferSize {
            throw ModelFileProblem.badHeader("\(bufferSize - covered) bytes follow the last tensor (the buffer must end with it)")
        }
        contents.entries = sorted.map(\.entry)
        return contents
    }

    /// The first top-level key of a JSON object that occurs twice (JSON parsers keep one
    /// of them silently), or nil. `header` is known to be a valid JSON object.
    static func repeatedKey(in header: [UInt8]) -> String? {
        var seen = Set<String>()
        var depth = 0, i = 0
        var expectingKey = false
        while i < header.count {
            let byte = header[i]
            if byte == UInt8(ascii: "\"") {
                var j = i + 1
                while j < header.count && header[j] != UInt8(ascii: "\"") {
                    j += header[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1 && expectingKey {
                    let literal = Data(header[i...Swift.min(j, header.count - 1)])
                    let key = (try? JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed)) as? String
                        ?? String(decoding: literal, as: UTF8.self)
                    if !seen.insert(key).inserted { return key }
                    expectingKey = false
                }
                i = j + 1
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth == 1 { expectingKey = true }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// `count` little-endian Float32 values starting at byte `start`.
    static func readFloats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, filled in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)
                    out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
            filled = count
        }
    }

    /// A JSON array of integers as [Int], or nil.
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        for v in array {
            guard let n = v as? NSNumber, let i = Int(exactly: n.doubleValue) else { return nil }
            out.append(i)
        }
        return out
    }
}
