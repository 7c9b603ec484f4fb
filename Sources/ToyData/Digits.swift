import Foundation
import TensorCore

/// The UCI optical-recognition handwritten digits (Alpaydin & Kaynak, 1998; CC BY 4.0),
/// as scikit-learn ships them: 1,797 grey images of 8×8 pixels, classes 0–9.
///
/// Inputs have shape `[1797, 1, 8, 8]` (flatten with `flattenedInputs()` for an MLP).
/// The file stores integer intensities 0–16; each is divided by 16, so pixels lie in
/// [0, 1] with 0 the background and 1 full ink. Labels are the digits themselves.
/// Throws `ToyDataError.resourceMissing` or `.malformedResource` if the bundled
/// `digits.csv` is absent or damaged (see `Resources/PROVENANCE.md`).
public func digits() throws -> Dataset {
    guard let url = Bundle.module.url(forResource: "digits", withExtension: "csv") else {
        throw ToyDataError.resourceMissing(name: "digits.csv")
    }
    let text: String
    do {
        text = try String(contentsOf: url, encoding: .utf8)
    } catch {
        throw ToyDataError.resourceMissing(name: "digits.csv")
    }
    return try parseDigits(csv: text)
}

/// Parses the digits CSV: one row per image, 64 integers 0–16 then the label 0–9.
func parseDigits(csv: String, name: String = "digits.csv") throws -> Dataset {
    var pixels: [Float] = []
    var labels: [Int] = []
    pixels.reserveCapacity(1797 * 64)
    var lineNumber = 0
    for line in csv.split(separator: "\n", omittingEmptySubsequences: false) {
        lineNumber += 1
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { continue }
        let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 65 else {
            throw ToyDataError.malformedResource(name: name, line: lineNumber,
                                                 message: "expected 65 comma-separated values, found \(fields.count)")
        }
        for (k, field) in fields.enumerated() {
            guard let v = Int(field.trimmingCharacters(in: .whitespaces)) else {
                throw ToyDataError.malformedResource(name: name, line: lineNumber,
                                                     message: "'\(field)' is not an integer")
            }
            if k < 64 {
                guard (0...16).contains(v) else {
                    throw ToyDataError.malformedResource(name: name, line: lineNumber,
                                                         message: "pixel value \(v) is outside 0...16")
                }
                pixels.append(Float(v) / 16)
            } else {
                guard (0...9).contains(v) else {
                    throw ToyDataError.malformedResource(name: name, line: lineNumber,
                                                         message: "label \(v) is outside 0...9")
                }
                labels.append(v)
            }
        }
    }
    guard !labels.isEmpty else {
        throw ToyDataError.malformedResource(name: name, line: lineNumber, message: "no rows")
    }
    return Dataset(name: "digits", inputs: Tensor(shape: [labels.count, 1, 8, 8], data: pixels),
                   labels: labels, classNames: (0...9).map(String.init))
}
