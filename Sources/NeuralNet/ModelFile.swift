import Foundation
import LabSupport
import TensorCore

/// Saving and loading a model's parameters and buffers as a safetensors file, with the
/// names of `Module.stateTensors()` ("0.weight", "1.running_mean", …).

/// What is wrong with a model file (without the path; see `ModelFileError`).
public enum ModelFileProblem: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read or written.
    case io(String)
    /// The file ends before the data it announces.
    case truncated(String)
    /// The header is not the JSON the format requires.
    case badHeader(String)
    /// The names in the file are not those of the model.
    case wrongNames(missing: [String], unexpected: [String])
    /// A tensor has a different shape in the file than in the model.
    case wrongShape(name: String, expected: [Int], found: [Int])
    /// A tensor the model needs is stored with another dtype than F32.
    case wrongDtype(name: String, dtype: String)

    public var description: String {
        switch self {
        case let .io(message): return message
        case let .truncated(message): return Messages.text("truncated file: {detail}", ["detail": message])
        case let .badHeader(message): return Messages.text("bad header: {detail}", ["detail": message])
        case let .wrongNames(missing, unexpected):
            let values = ["missing": missing.joined(separator: ", "), "unexpected": unexpected.joined(separator: ", ")]
            if unexpected.isEmpty { return Messages.text("the tensors do not match the model: missing {missing}", values) }
            if missing.isEmpty { return Messages.text("the tensors do not match the model: unexpected {unexpected}", values) }
            return Messages.text("the tensors do not match the model: missing {missing}; unexpected {unexpected}", values)
        case let .wrongShape(name, expected, found):
            return Messages.text("{name} has shape {found} in the file but {expected} in the model",
                                 ["name": name, "found": formatShape(found), "expected": formatShape(expected)])
        case let .wrongDtype(name, dtype):
            return Messages.text("{name} is stored as {dtype}; only F32 is supported", ["name": name, "dtype": dtype])
        }
    }
}

/// A model file error: the file and what is wrong with it, e.g.
/// `model.safetensors: truncated file: the header claims 120 bytes but only 64 follow`.
public struct ModelFileError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: ModelFileProblem
    public var description: String { "\(path): \(problem)" }
}

/// Writes `tensors` to `path` as safetensors, atomically and refusing a target that is
/// not a regular file (see `AtomicFileWrite`), so a reader never sees a half-written file.
public func saveTensors(_ tensors: [(name: String, tensor: Tensor)], to path: String,
                        metadata: [String: String] = [:]) throws {
    let bytes = SafeTensors.encode(tensors, metadata: metadata)
    do {
        try AtomicFileWrite.write(bytes, toPath: path)
    } catch {
        throw ModelFileError(path: path, problem: .io(Messages.text("cannot write: {reason}", ["reason": error.reason])))
    }
}

/// Reads and checks a whole safetensors file (see `SafeTensors.decode`).
public func loadTensors(from path: String) throws -> SafeTensors.Contents {
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw ModelFileError(path: path, problem: .io(Messages.text("cannot read the file")))
    }
    do {
        return try SafeTensors.decode([UInt8](data))
    } catch let problem as ModelFileProblem {
        throw ModelFileError(path: path, problem: problem)
    }
}

/// Saves `model`'s parameters and buffers to `path` (atomically), named as in
/// `stateTensors()`. The same architecture in PyTorch loads it with
/// `m.load_state_dict(safetensors.torch.load_file(path))` (checked by hand: all keys match
/// and the outputs agree; we do not store `num_batches_tracked`, which BatchNorm tolerates).
public func save(_ model: Module, to path: String, metadata: [String: String] = [:]) throws {
    try saveTensors(model.stateTensors(), to: path, metadata: metadata)
}

/// Loads `path` into `model`'s parameters and buffers. Everything is checked before
/// anything is written: the file must be complete and well formed, hold exactly the
/// model's tensor names (entries named `*num_batches_tracked`, which PyTorch keeps as
/// integers, are ignored), each with the model's shape and dtype F32. On any error the
/// model is left untouched and a `ModelFileError` names the file and the problem.
public func load(_ model: Module, from path: String) throws {
    let contents = try loadTensors(from: path)
    let targets = model.stateTensors()
    let fileNames = Set(contents.entries.map(\.name).filter { !$0.hasSuffix("num_batches_tracked") })
    let modelNames = Set(targets.map(\.name))
    let missing = targets.map(\.name).filter { !fileNames.contains($0) }
    let unexpected = contents.entries.map(\.name).filter { fileNames.contains($0) && !modelNames.contains($0) }
    guard missing.isEmpty && unexpected.isEmpty else {
        throw ModelFileError(path: path, problem: .wrongNames(missing: missing, unexpected: unexpected))
    }
    var values: [[Float]] = []
    for (name, tensor) in targets {
        guard let entry = contents[name] else { continue }   // cannot happen: checked above
        guard entry.dtype == "F32" else {
            throw ModelFileError(path: path, problem: .wrongDtype(name: name, dtype: entry.dtype))
        }
        guard entry.shape == tensor.shape else {
            throw ModelFileError(path: path, problem: .wrongShape(name: name, expected: tensor.shape, found: entry.shape))
        }
        values.append(entry.values)
    }
    for ((_, tensor), v) in zip(targets, values) { tensor.data = v }
}
