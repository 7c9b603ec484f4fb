import Foundation
import XCTest
@testable import LabScript
import RunSupport
import TensorCore
@testable import LabBuiltins

/// Every builtin whose work can exceed about 0.1 s polls the one cancellation API
/// (`TensorCore.OperationCancellation`, or the interpreter's own check between script
/// calls), so a time limit or an interrupt stops it: `whiten` and `kmeans` once ran on for
/// a minute past a cell's limit, and a kernel interrupt was answered 30 s later with "ok".
///
/// The registry is walked: each builtin is either in `long`, where it is called on a large
/// legal input with the cancellation flag already raised (the builtin's implementation
/// is called directly, past the interpreter's own check at the call), and must stop with
/// the cancellation error having made at most a budget of tensor elements (counted by
/// `OpProfile`, not timed); or in `short`, with the reason its work stays small. A new
/// builtin fails this test until it is placed in one of them.
final class RegistryCancellationTests: XCTestCase {
    struct LongCall {
        /// Script that makes the inputs (run normally first).
        var setup: String
        /// The builtin's arguments, as LabScript: positional values, then a record of named ones.
        var positional: String
        var named: String = "{}"
        /// Tensor elements the cancelled call may make (the uncancelled call makes far more,
        /// or runs its loops for seconds).
        var elementBudget: Int
        /// Output that says the builtin stopped early and returned what it had, for the
        /// builtins that do that instead of failing (`compare`).
        var interruptedOutput: String? = nil
    }

    static let long: [String: LongCall] = [
        // d²·n under the matrix product's own polling threshold, so the poll that stops it
        // is the Cholesky factor's or the triangular solve's.
        "whiten": LongCall(setup: "z = randn(800, 400)", positional: "[z]", elementBudget: 4 * 800 * 400),
        "kmeans": LongCall(setup: "z = randn(20000, 64)", positional: "[z, 500]", elementBudget: 1 << 16),
        "rankme": LongCall(setup: "z = randn(900, 900)", positional: "[z]", elementBudget: 1 << 16),
        "matmul": LongCall(setup: "a = randn(3000, 3000)", positional: "[a, a]", elementBudget: 3000 * 3000),
        "pca": LongCall(setup: "x = randn(4000, 1000)", positional: "[x]", elementBudget: 1 << 16),
        "linear_probe": LongCall(setup: "d = blobs(count: 20000)", positional: "[nil, d]", named: "{steps: 10000}",
                                 elementBudget: 8 * 20000 * 2 + (1 << 16)),
        "knn_accuracy": LongCall(setup: "d = blobs(count: 12000)", positional: "[nil, d]",
                                 elementBudget: 2 * 9600 * 2400 + (1 << 20)),
        "nearest_neighbors": LongCall(setup: "q = randn(3000, 8)\nk = randn(3000, 8)", positional: "[q, k]",
                                      elementBudget: 2 * 3000 * 3000 + (1 << 16)),
        "embed": LongCall(setup: "m = mlp([2, 256, 256])\nd = blobs(count: 200000)", positional: "[m, d]",
                          elementBudget: 1 << 20),
        "train": LongCall(setup: "m = mlp([2, 64, 16])\nd = blobs(count: 4000)", positional: "[m, d]", named: "{epochs: 1000}",
                          elementBudget: 1 << 22),
        "export_pytorch": LongCall(setup: "m = mlp([2, 64, 16])\nd = blobs(count: 4000)",
                                   positional: "[m, d, \"\(NSTemporaryDirectory())selfsup-cancel-export\"]",
                                   named: "{reference_steps: 10000}", elementBudget: 1 << 22),
        "compare": LongCall(setup: "d = blobs(count: 400)", positional: "[]", named: "{data: d, epochs: 100, progress: false}",
                            elementBudget: 1 << 22, interruptedOutput: "compare: interrupted"),
        "augment": LongCall(setup: "x = rand(2000, 3, 32, 32)\np = gaussian_blur(kernel_size: 9, probability: 1)", positional: "[p, x]",
                            elementBudget: 1 << 16),
        "views": LongCall(setup: "x = rand(2000, 3, 32, 32)\np = pipeline(\"simclr\", image_size: 32)", positional: "[p, x]",
                          elementBudget: 1 << 16),
        "gradcheck": LongCall(setup: "fn f(x) { return sum(x * x) }\nx = randn(200, 200)", positional: "[f, x]",
                              elementBudget: 1 << 20),
    ]

    /// Builtins whose work stays small, and why.
    static let shortReasons: [String: String] = [
        "pass": "one pass (or a few) over tensors bounded by the element limit, or a small fixed amount of work",
        "matrix": "its cost is matrix products, which poll between blocks (Tensor+MatMul), plus passes over bounded tensors",
        "build": "builds a model or optimiser: its weights are bounded by the weight check, one pass to initialise",
        "data": "makes a data set of at most the element limit in one pass",
        "display": "output bounded by the terminal or the figure, one pass over the values",
        "session": "reads or sets session state, prints help or a table of bounded size",
        "script": "calls script functions, where the interpreter checks the flag at every call",
    ]

    static let short: [String: String] = {
        var table: [String: String] = [:]
        func add(_ reason: String, _ names: [String]) { for name in names { table[name] = shortReasons[reason]! } }
        add("pass", ["pow", "maximum", "minimum", "where", "outer", "diag", "offdiag", "masked_fill", "tensor", "zeros", "ones",
                     "full", "eye", "arange", "linspace", "rand", "randn", "randint", "randperm", "zeros_like", "ones_like", "item",
                     "tolist", "clone", "shape", "rows", "cols", "reshape", "transpose", "permute", "flatten", "squeeze",
                     "unsqueeze", "pad", "max_pool2d", "avg_pool2d", "var", "std", "softmax", "log_softmax", "logsumexp",
                     "normalize", "standardize", "cosine_similarity", "nmi", "embedding_std", "alignment", "causal_mask",
                     "one_hot", "pick", "take", "token_posterior", "square_mask", "detach", "zero_grad", "copy", "freeze",
                     "unfreeze", "parameters", "momentum_update", "select", "split", "subset", "mse", "cross_entropy",
                     "positive_only", "negative_cosine", "layer_norm",
                     "abs", "add", "argmax", "cat", "concat", "exp", "log", "max", "mean", "min", "mul", "relu", "sigmoid",
                     "sqrt", "stack", "sum", "tanh"])
        add("matrix", ["diagnose", "nt_xent", "info_nce", "barlow_twins", "vicreg", "dcl", "wmse", "cross_correlation", "conv2d",
                       "self_attention", "attention_weights", "uniformity", "localization_probe", "backward"])
        add("build", ["sgd", "adam", "adamw", "lars", "embedding", "transformer_block", "mlp", "convnet", "flat_convnet",
                      "linear", "conv", "max_pool", "batch_norm", "projector", "predictor", "sequential", "pipeline", "compose",
                      "random_resized_crop", "horizontal_flip", "vertical_flip", "color_jitter", "grayscale", "gaussian_blur",
                      "solarize", "gaussian_noise", "random_erasing", "random_rotation", "random_translation", "patch_mask"])
        add("data", ["shapes", "digits", "blobs", "moons", "tokens", "save", "load"])
        add("display", ["show", "plot", "scatter", "heatmap", "hist", "bar", "table", "method_map"])
        add("session", ["seed", "help"])
        add("script", ["no_grad"])
        return table
    }()

    /// Builtins whose work can exceed 0.1 s on their largest legal input that do not poll
    /// yet, with the reason (none at present).
    static let notYetPolled: [String: String] = [:]

    func testEveryBuiltinIsPlaced() {
        let session = BuiltinContext(output: BufferOutputSink())
        // The language's own builtins (print, len, sorted, …) are the interpreter's, not this registry's.
        let languageNames = Set(session.registry.groups.first { $0.title == "Language" }?.entries.map(\.name) ?? [])
        var unplaced: [String] = []
        for name in session.registry.names where !languageNames.contains(name) {
            let places = [RegistryCancellationTests.long[name] != nil, RegistryCancellationTests.short[name] != nil,
                          RegistryCancellationTests.notYetPolled[name] != nil].filter { $0 }.count
            if places != 1 { unplaced.append(name) }
        }
        XCTAssertEqual(unplaced, [], "builtins in none (or more than one) of long, short, notYetPolled")
        for name in Array(RegistryCancellationTests.long.keys) + Array(RegistryCancellationTests.short.keys) {
            XCTAssertNotNil(session.registry.function(named: name), "\(name) is not in the registry")
        }
    }

    func testLongBuiltinsStopWhenTheFlagIsAlreadyRaised() {
        for name in RegistryCancellationTests.long.keys.sorted() {
            let call = RegistryCancellationTests.long[name]!
            let sink = BufferOutputSink()
            let session = BuiltinContext(output: sink)
            var made: OpProfileReport?
            let flag = session.cancellation
            session.interpreter.register(NativeFunction(
                name: "call_cancelled", parameters: [Parameter("name"), Parameter("positional"), Parameter("named")],
                summary: "Calls a builtin's implementation with the cancellation flag already raised."
            ) { args, context in
                guard let entry = session.registry.function(named: try args.string("name")) else { throw context.error("no such builtin") }
                let named = try args.record("named")
                let bound = try ArgumentBinder.bind(functionName: entry.name, parameters: entry.parameters,
                                                    positional: try args.list("positional").map { ($0, context.range) },
                                                    named: named.keys.map { ($0, named[$0]!, context.range) }, callRange: context.range)
                flag.cancel()
                let profiler = OpProfiler()
                defer { made = profiler.report }
                return try profiler.recording { try entry.implementation(bound, context) }
            })
            if case .failure(let diagnostics) = session.run(call.setup + "\n", name: "setup.lab") {
                XCTFail("\(name) setup: \(diagnostics.map(\.message))"); continue
            }
            let result = session.run("r = call_cancelled(\"\(name)\", \(call.positional), \(call.named))\n", name: "long.lab")
            if let interrupted = call.interruptedOutput {
                XCTAssertTrue(sink.text.contains(interrupted), "\(name): \(sink.text.suffix(300)) \(result)")
            } else {
                guard case .failure(let diagnostics) = result else { XCTFail("\(name) ran to its end"); continue }
                XCTAssertEqual(diagnostics.first?.kind, .runtime(.cancelled), "\(name): \(diagnostics.map(\.message))")
                XCTAssertEqual(diagnostics.first?.line, 1, name)
            }
            let elements = made?.elementsCreated ?? Int.max
            print("cancelled \(name): \(elements) tensor elements made (budget \(call.elementBudget))")
            XCTAssertLessThanOrEqual(elements, call.elementBudget, name)
        }
    }
}
