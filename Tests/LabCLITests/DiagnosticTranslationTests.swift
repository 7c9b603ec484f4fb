import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook
import XCTest
@testable import LabCLI

/// LabScript's diagnostics in Chinese: syntax errors, argument, index, operator and shape
/// errors and the call stack, each a whole sentence of the catalogue with its names and
/// code as written; the caret under the same columns (display width); English unchanged.
final class DiagnosticTranslationTests: XCTestCase {
    /// The rendered diagnostics of running `source` in a lab session, in `language` (also
    /// `TrainingSetupTranslationTests`' way of reading an error).
    static func rendered(_ source: String, _ language: Language) -> String {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = language
        let session = ScriptSession(ScriptSession.Options(quick: true), output: BufferOutputSink())
        guard case .failure(let diagnostics) = session.interpreter.run(source, name: "demo.lab") else {
            XCTFail("\(source) ran without an error")
            return ""
        }
        return diagnostics.map(\.rendered).joined(separator: "\n")
    }

    func testDiagnosticsInChineseAndEnglish() {
        let cases: [(source: String, english: String, chinese: String)] = [
            ("x = (1 +)\n", "expected an expression, found ')'", "此处应为表达式，却遇到 ')'"),
            ("y = max(1, 2\n", "expected ')' to close the argument list, found end of input", "应为 ')' 以结束参数列表，却遇到 输入结尾"),
            ("for 3 in xs { }\n", "expected a name after 'for', found number 3", "'for' 之后应为 名称，却遇到 数 3"),
            ("s = \"abc\n", "unterminated string", "字符串缺少结束引号"),
            ("if !done { }\n", "unexpected '!'; use 'not' for negation", "意外的 '!'；取反请用 'not'"),
            ("xs = [1, 2, 3]\nprint(xs[5])\n", "index 5 is out of range for a list of length 3", "索引 5 超出范围：这个 list 的长度是 3"),
            ("z = randn(2, 3)\nprint(z[0, 7])\n", "index 7 is out of range for axis 1 of size 3 (tensor shape [2, 3])",
             "索引 7 超出第 1 轴的范围，该轴大小为 3（张量形状 [2, 3]）"),
            ("z = randn(\"a\")\n", "randn: expected integers, got string", "randn：应为整数，却得到 string"),
            ("z = max(\"a\", 2)\n", "max(): expected numbers, got string", "max()：应为数，却得到 string"),
            ("print(1 / 0)\n", "division by zero", "除以零"),
            ("print(\"a\" + 1)\n", "cannot add string and number; use str(x) or \"{x}\" interpolation",
             "字符串不能与 number 相加；请用 str(x) 或 \"{x}\" 插值"),
            ("if 1 { }\n", "if condition must be true or false, got number", "if 的条件必须是 true 或 false，却得到 number"),
            ("print(randn(2, 3) @ randn(2, 3))\n", "matmul: shapes [2, 3] and [2, 3] do not match: inner dimensions 3 and 2 differ",
             "matmul：形状 [2, 3] 与 [2, 3] 不匹配：内侧维度 3 与 2 不同"),
            ("fn f(x) {\n    return x / 0\n}\nf(1)\n", "  in f(), called at demo.lab:4:1", "  在 f() 中，调用位置 demo.lab:4:1"),
            ("xs = []\nxs.pop()\n", "pop from an empty list", "不能从空列表中 pop"),
            ("r = {a: 1}\nr2 = [1]\nr2.a = 3\n", "cannot set field 'a' on a list; only records have settable fields",
             "不能在 list 上设置字段 'a'；只有记录的字段可以设置"),
            ("xs = [1, 2]\nprint(xs[::0])\n", "slice step cannot be zero", "切片的步长不能为零"),
            ("fn down(n) {\n    return down(n + 1)\n}\ndown(0)\n", "recursion too deep (more than ", "递归过深（嵌套调用超过 "),
        ]
        for (source, english, chinese) in cases {
            let en = Self.rendered(source, .en)
            let zh = Self.rendered(source, .zh)
            XCTAssertTrue(en.contains(english), "English of \(source):\n\(en)")
            XCTAssertTrue(zh.contains(chinese), "Chinese of \(source):\n\(zh)")
            // The same place: the location and the caret line are the language's business of neither.
            XCTAssertEqual(en.split(separator: "\n").map { $0.prefix { $0 != " " } }.first,
                           zh.split(separator: "\n").map { $0.prefix { $0 != " " } }.first, source)
            XCTAssertEqual(Array(en.split(separator: "\n").dropFirst().prefix(2)), Array(zh.split(separator: "\n").dropFirst().prefix(2)),
                           source)
        }
    }

    /// Whole numbers' bounds and arguments' types, from `BoundArguments`.
    func testArgumentErrorsAreWholeSentences() {
        let zh = Self.rendered("z = normalize(\"a\")\n", .zh)
        XCTAssertTrue(zh.contains("normalize：参数 'x' 应为张量、数或数的列表，却得到 string"), zh)
        let en = Self.rendered("z = normalize(\"a\")\n", .en)
        XCTAssertTrue(en.contains("normalize: argument 'x': expected a tensor, a number or a list of numbers, got string"), en)
        let seeds = Self.rendered("seed(\"a\")\n", .zh)
        XCTAssertTrue(seeds.contains("seed：参数 "), seeds)
        XCTAssertTrue(seeds.contains("，却得到 string"), seeds)
        let step = Self.rendered("z = randn(2, 3)\nprint(z[:, ::-1])\n", .zh)
        XCTAssertTrue(step.contains("张量切片的步长必须为正，却得到 -1"), step)
    }

    /// The runtime errors that carry numbers: math domains, range and int, expect_close,
    /// `.T`, limits of lists, compare's and table's names with their "did you mean", tensor
    /// fields, and the argument errors of the tensor operations, the evaluations and the toy
    /// data sets (`TensorError.argument`, `ToyDataError.argument`), each in Chinese with its
    /// numbers and shapes, each English as before.
    func testRuntimeErrorsWithNumbersInChineseAndEnglish() {
        let cases: [(source: String, english: String, chinese: String)] = [
            ("print(sqrt(-4))\n", "sqrt: argument 'x' must not be negative, got -4", "sqrt：参数 'x' 不能为负数，却得到 -4"),
            ("print(log(0))\n", "log: argument 'x' must be positive, got 0", "log：参数 'x' 必须为正数，却得到 0"),
            ("xs = range(0, 5, 0)\n", "range: step cannot be zero", "range：step 不能为 0"),
            ("n = int(\"4x2\")\n", "int: cannot read '4x2' as a number", "int：无法把 '4x2' 读作数"),
            ("expect_close(\"a\", 1)\n", "expect_close: cannot compare string with number", "expect_close：无法比较 string 与 number"),
            ("t = [[1, 2], [3]].T\n", ".T needs rows of equal length, found 2 and 1", ".T 需要各行长度相同，却有长度 2 和 1"),
            ("t = compare(methods: [\"simclrr\"], data: blobs(count: 40))\n",
             "compare: unknown method \"simclrr\"; did you mean 'simclr'? (methods: simclr,",
             "compare：未知方法 \"simclrr\"；你是不是想写 'simclr'？（可用方法：simclr,"),
            ("table([{a: 1}], columns: [\"b\"])\n", "table: no column 'b'", "table：没有列 'b'"),
            ("table({a: [1, 2], b: 3})\n", "table: column 'b' must be a list, got number", "table：列 'b' 必须是列表，却得到 number"),
            ("c = kmeans(randn(3, 2), k: 5)\n", "kmeans: k = 5 clusters need at least 5 points, z has 3",
             "kmeans：k = 5 个簇至少需要 5 个点，z 只有 3 个"),
            ("x = randn(2, 3)\nx.grad = randn(3)\n", "grad must be nil or a tensor of shape [2, 3], got tensor",
             "grad 必须是 nil 或形状为 [2, 3] 的张量，却得到 tensor"),
            ("print(sum(randn(2, 3), axis: 5))\n", "sum: axis 5 is out of range for shape [2, 3]", "sum：轴 5 超出了形状 [2, 3] 的范围"),
            ("print(item(randn(2, 3)))\n", "item: needs one element, got shape [2, 3]", "item：需要恰好一个元素，却得到形状 [2, 3]"),
            ("print(cross_entropy(randn(2, 3), [0, 7]))\n", "cross_entropy: label 7 is not in 0..<3", "cross_entropy：标签 7 不在 0..<3 之内"),
            ("print(nt_xent(randn(4, 3), randn(4, 3), temperature: -1))\n", "nt_xent: temperature must be a positive number, got -1",
             "nt_xent：temperature 必须为正数，却得到 -1"),
            ("d = split(blobs(count: 10), test_fraction: 2)\n", "split: test fraction 2.0 must lie in [0, 1]",
             "split：测试集比例 2.0 必须在 [0, 1] 之内"),
            ("d = blobs(count: 10).select([20])\n", "select: index 20 is out of range for a data set of 10 samples",
             "select：索引 20 超出范围：数据集只有 10 个样本"),
            ("x = tensor([[1, 2], [3]])\n", "tensor: rows of different lengths (2 and 1); a tensor must be rectangular",
             "tensor：各行长度不同（2 和 1）；张量必须是规整的矩形"),
            ("d = blobs(count: 10)\nprint(d[12])\n", "sample 12 is out of range for a data set of 10 samples",
             "样本 12 超出范围：数据集只有 10 个样本"),
            ("x = randint(5, 2, 3)\n", "randint: the range 5 ≤ k < 2 is empty", "randint：范围 5 ≤ k < 2 是空的"),
            ("z = pca(randn(5, 3), k: 4)\n", "pca: expects points [n, d] with k ≤ d ≤ 2000, got k = 4 and shape [5, 3]",
             "pca：需要 k ≤ d ≤ 2000 的点 [n, d]，却得到 k = 4 和形状 [5, 3]"),
            ("show(rand(1, 3, 4, 4), scale: 20)\n", "show: scale must lie in 1...16, got 20", "show：scale 必须在 1...16 之内，却得到 20"),
            ("p = pad(ones(2, 2), [[1, 1], [1, 1], [1, 1]])\n", "pad: 3 padding pairs for a tensor of shape [2, 2]",
             "pad：3 对填充与形状为 [2, 2] 的张量不符"),
            ("enc = mlp([4])\n", "mlp: 'dims' needs at least 2 sizes, all positive, got [4]",
             "mlp：'dims' 需要至少 2 个大小，且都为正数，却得到 [4]"),
            ("x = randn(2) % randn(2)\n", "%: the remainder is not defined for tensors", "%：张量没有定义取余运算"),
            ("table({a: [1, 2], b: [3]})\n", "table: the columns have different lengths (2, 1)", "table：各列长度不同（2, 1）"),
            ("o = sgd(mlp([2, 2]), learning_rate: 0.1)\no.learning_rate = -1\n", "learning_rate must be a number ≥ 0, got -1",
             "learning_rate 必须是 ≥ 0 的数，却得到 -1"),
            ("x = randn(3)\nbackward(sum(x))\n", "backward: the tensor does not depend on anything that requires a gradient",
             "backward：这个张量不依赖于任何需要梯度的量"),
            ("c = pca(randn(1, 3))\n", "pca: needs at least 2 points, got 1", "pca：至少需要 2 个点，实际为 1 个"),
            ("c = bar([[1, 2]], labels: [\"a\"])\n", "bar: 2 values per series but 1 labels", "bar：每个序列有 2 个值，却有 1 个标签"),
            ("c = show(randn(2, 2, 3, 3))\n", "show: images need 1 or 3 channels, got 2 in shape [2, 2, 3, 3]",
             "show：图像需要 1 或 3 个通道，形状 [2, 2, 3, 3] 中为 2 个"),
            ("p = pipeline(\"nope\")\n", "unknown augmentation pipeline 'nope'; known: simclr,", "未知的增强流水线 'nope'；可用的有：simclr,"),
            ("momentum_update(mlp([4, 2]), mlp([4, 3]))\n", "update_momentum: target 0.weight [2, 4] does not match online 0.weight [3, 4]",
             "目标网络的 0.weight [2, 4] 与在线网络的 0.weight [3, 4] 不相符"),
        ]
        for (source, english, chinese) in cases {
            let en = Self.rendered(source, .en)
            let zh = Self.rendered(source, .zh)
            XCTAssertTrue(en.contains(english), "English of \(source):\n\(en)")
            XCTAssertTrue(zh.contains(chinese), "Chinese of \(source):\n\(zh)")
        }
    }

    /// The caret stays under the error when the line holds Chinese and the message is Chinese.
    func testTheCaretIsAlignedByDisplayWidth() {
        let zh = Self.rendered("label = \"模式崩溃\" + 1 / 0\n", .zh)
        let lines = zh.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasSuffix("error: 除以零"), zh)
        XCTAssertEqual(lines[1], "    label = \"模式崩溃\" + 1 / 0")
        XCTAssertEqual(lines[2], "    " + String(repeating: " ", count: "label = \"模式崩溃\" + ".displayWidth) + "^~~~~")
    }
}
