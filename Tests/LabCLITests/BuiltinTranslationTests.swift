import Display
import Foundation
@testable import LabBuiltins
import LabScript
import LabSupport
import Notebook
import SelfSupervised
import XCTest
@testable import LabCLI

/// The builtins' help in Chinese: every summary, parameter doc and group title of the full
/// registry (the exercise builtins included) has its entry in `zh.po`'s `# builtins`
/// sections, with the same placeholders, and those sections hold nothing else; the REPL's
/// `:help` rows likewise. Names (builtins, parameters) are never translated.
final class BuiltinTranslationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The registry the CLI uses: the lab's builtins and the exercise builtins.
    static func registry() -> BuiltinRegistry {
        ScriptSession(output: BufferOutputSink()).context.registry
    }

    /// The builtins whose details (help's longer text) are translated: every one.
    static let detailsTranslated = ["append", "attention_weights", "backward", "cross_entropy", "embedding", "expect_close",
                                    "gradcheck", "info_nce", "layer_norm", "linear_probe", "masked_fill", "matmul", "mlp",
                                    "nearest_neighbors", "normalize", "nt_xent", "one_hot", "pick", "plot", "print", "projector",
                                    "rand", "scatter", "seed", "self_attention", "shapes", "square_mask", "std", "take", "tensor",
                                    "token_posterior", "tokens", "transformer_block",
                                    "bar", "barlow_twins", "check", "compare", "conv2d", "convnet", "detach", "export_pytorch", "kmeans",
                                    "localization_probe", "method_map", "nmi", "offdiag", "pipeline", "save", "standardize", "table",
                                    "train", "views", "whiten", "diagnose"]

    /// The texts a builtin's details are translated by: the whole text, or where the
    /// catalogue has no entry for the whole, its paragraphs (lines) other than the lines of
    /// a list made from a table (train's methods: `  "simclr" — …`), which stay as written.
    static func detailsTexts(_ details: String, _ zh: [String: String]) -> [String] {
        if zh[details] != nil { return [details] }
        return details.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("  \"") }
    }

    /// What `method_map()` shows a person besides names: each training method's summary
    /// and each family's idea.
    static func methodMapTexts() -> Set<String> {
        Set(TrainingMethods.all.map(\.summary) + MethodFamily.allCases.map(\.idea))
    }

    /// Every text of the registry and the REPL's `:help` a person reads, by kind.
    static func shownTexts(_ registry: BuiltinRegistry) -> (summaries: Set<String>, parameters: Set<String>,
                                                            groups: Set<String>, meta: Set<String>) {
        let summaries = Set(registry.functions.map(\.summary).filter { !$0.isEmpty })
        let parameters = Set(registry.functions.flatMap(\.parameters).map(\.documentation).filter { !$0.isEmpty })
        return (summaries, parameters, Set(registry.groups.map(\.title)), Set(REPL.metaCommands.map(\.summary)))
    }

    func testEverySummaryParameterDocAndGroupHasItsChineseEntry() throws {
        let registry = Self.registry()
        let zh = Messages.catalogue(.zh).translations
        let shown = Self.shownTexts(registry)
        XCTAssertGreaterThan(shown.summaries.count, 150)
        XCTAssertGreaterThan(shown.parameters.count, 150)
        XCTAssertTrue(registry.groups.contains { $0.title == "Exercises" }, "the exercise builtins are not in the registry")
        let listed = Self.detailsTranslated.compactMap { registry.function(named: $0)?.details }.filter { !$0.isEmpty }
        XCTAssertEqual(Set(listed).count, Self.detailsTranslated.count, "a listed builtin has no details")
        let details = Set(listed.flatMap { Self.detailsTexts($0, zh) })
        // Every builtin's details are listed.
        let untranslated = registry.functions.filter { !$0.details.isEmpty && !Self.detailsTranslated.contains($0.name) }.map(\.name)
        XCTAssertEqual(untranslated, [])
        let map = Self.methodMapTexts()
        XCTAssertGreaterThanOrEqual(map.count, 10)
        for (kind, texts) in [("summary", shown.summaries), ("parameter doc", shown.parameters),
                              ("group title", shown.groups), (":help row", shown.meta), ("details", details),
                              ("method_map text", map)] {
            for text in texts.sorted() {
                guard let chinese = zh[text] else { XCTFail("no Chinese for the \(kind) \"\(text)\""); continue }
                XCTAssertEqual(POCatalog.placeholders(chinese).sorted(), POCatalog.placeholders(text).sorted(), text)
                // What a script reads stays as written: every builtin name the English names
                // in backquotes or as a call (`x.T`, `masked_fill(`) is in the Chinese too.
                for name in registry.names where name.count > 3 && text.contains(name + "(") {
                    XCTAssertTrue(chinese.contains(name + "("), "\(name) lost in the translation of \"\(text)\"")
                }
            }
        }
        // The `# builtins` sections hold only what the registry and :help show (a text the
        // registry no longer has is a stale entry).
        let po = try String(contentsOf: Self.root.appendingPathComponent("Sources/LabSupport/Resources/zh.po"), encoding: .utf8)
        let sections = try POCatalog.msgidsBySection(po).filter { $0.key.hasPrefix("# builtins") }
        XCTAssertGreaterThanOrEqual(sections.count, 3)
        let everything = shown.summaries.union(shown.parameters).union(shown.groups).union(shown.meta)
            .union(registry.functions.flatMap { [$0.details] + $0.details.split(separator: "\n").map(String.init) })
            .union(Self.methodMapTexts())
        for key in sections.values.reduce(into: Set<String>(), { $0.formUnion($1) }).subtracting(everything).sorted() {
            XCTFail("zh.po's builtins sections have \"\(key)\", which no builtin shows")
        }
    }

    /// The longer help of the later lessons' builtins in Chinese: train's prose paragraphs and
    /// its list of methods (each summary translated, names as written), compare's, method_map's
    /// and diagnose's whole text; English after `:lang en`.
    func testLaterLessonsLongerHelpInChinese() {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        let text = replSession([":lang zh", "?train", "?compare", "?method_map", "?export_pytorch", "?diagnose", ":lang en", "?train"],
                               width: 2000).text
        let (chinese, english) = (text.components(separatedBy: "Lessons and messages are now in English.").first ?? "",
                                  text.components(separatedBy: "Lessons and messages are now in English.").last ?? "")
        XCTAssertTrue(chinese.contains("  所有方法共用同一个训练循环：打乱的批次、两个数据增强视图、损失、反向传播、优化器更新。"), chinese)
        XCTAssertTrue(chinese.contains("\n  方法：\n  \"simclr\" — 两个视图投影之间的 NT-Xent（Chen 等 2020）；视图 \"simclr\"\n"), chinese)
        XCTAssertTrue(chinese.contains("\n  \"moco\" — "), chinese)
        XCTAssertFalse(chinese.contains("; views \""), chinese)
        XCTAssertTrue(chinese.contains("diagnose(run) 读取 train 每轮结束后记录的崩溃指标（run.history）"), chinese)
        XCTAssertTrue(chinese.contains("\"complete collapse\"、\"dimensional collapse\""), chinese)
        XCTAssertTrue(chinese.contains("  相同的数据划分、相同的编码器"), chinese)
        XCTAssertTrue(chinese.contains("family 是以下之一："), chinese)
        XCTAssertTrue(chinese.contains("按 train 的参数"), chinese)
        XCTAssertFalse(chinese.contains("Every method shares one loop"), chinese)
        XCTAssertTrue(english.contains("  Every method shares one loop: shuffled batches, two augmented views, loss, backward, optimiser step."), english)
        XCTAssertTrue(english.contains("\n  Methods:\n  \"simclr\" — NT-Xent between the two views' projections (Chen et al. 2020); views \"simclr\"\n"),
                      english)
        XCTAssertFalse(english.contains { LineBreak.isWide($0) }, english)
    }

    /// Lesson 8's builtins under zh: method_map's summaries, ideas and lesson titles in
    /// Chinese (names, families and field names as written); compare's table title and
    /// chart in Chinese, its column keys English; English unchanged.
    func testMethodMapAndCompareInChinese() throws {
        let saved = Messages.language
        let english = try LessonTitleTests.catalog.titles
        let chinese = try LessonCatalog(directory: LessonRunTests.root.appendingPathComponent("Lessons/zh")).titles
        LessonTitles.setSource(byLanguage: { $0 == .en ? english : chinese })
        defer {
            Messages.language = saved
            LessonTitles.setSource { [:] }
        }
        Messages.language = .en
        let lines = ["m = method_map()[0]", "print(m.name, \"|\", m.family, \"|\", m.summary, \"|\", m.idea, \"|\", m.lesson)",
                     "t = compare(methods: [\"simclr\"], data: blobs(count: 120), epochs: 1, show: true)", "show(t)",
                     "print(t.columns)"]
        let text = replSession([":lang zh"] + lines + [":lang en"] + lines, width: 100).text
        let parts = text.components(separatedBy: "Lessons and messages are now in English.")
        XCTAssertEqual(parts.count, 2, text)
        let (zh, en) = (parts[0], parts[1])
        let lesson = try XCTUnwrap(TrainingMethods.course.first?.lesson)
        XCTAssertTrue(zh.contains("simclr | contrastive | 两个视图投影之间的 NT-Xent（Chen 等 2020） | 拉近两个视图，推开其他图像（负样本） | "
                                  + (chinese[lesson] ?? "?")), zh)
        XCTAssertTrue(en.contains("simclr | contrastive | NT-Xent between the two views' projections (Chen et al. 2020) | "
                                  + "pull the two views together, push other images (negatives) away | " + (english[lesson] ?? "?")), en)
        XCTAssertTrue(zh.contains("blobs：1 轮，种子 "), zh)
        XCTAssertTrue(zh.contains("blobs：测试准确率"), zh)
        XCTAssertTrue(zh.contains("每类 1 个标签"), zh)
        XCTAssertTrue(en.contains("blobs: 1 epochs, seed "), en)
        XCTAssertTrue(en.contains("1 label per class"), en)
        let columns = "[\"method\", \"setting\", \"probe_1\", \"probe_3\", \"knn\""
        XCTAssertTrue(zh.contains(columns) && en.contains(columns), text)
        XCTAssertFalse(en.contains { LineBreak.isWide($0) }, en)
    }

    /// What print shows of a data set and a model in Chinese (names, shapes and numbers as
    /// written); English unchanged.
    func testPrintedDataSetsAndModelsInChinese() {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        let lines = ["print(blobs(count: 8, classes: 2))", "print(mlp([2, 3]))"]
        let text = replSession([":lang zh"] + lines + [":lang en"] + lines, width: 200).text
        let parts = text.components(separatedBy: "Lessons and messages are now in English.")
        XCTAssertEqual(parts.count, 2, text)
        let (zh, en) = (parts[0], parts[1])
        XCTAssertTrue(zh.contains("blobs：8 个样本，形状 [2]，2 个类别（"), zh)
        XCTAssertTrue(zh.contains("（9 个参数，训练模式）"), zh)
        XCTAssertTrue(en.contains("blobs: 8 samples of shape [2], 2 classes ("), en)
        XCTAssertTrue(en.contains("(9 parameters, training mode)"), en)
        XCTAssertFalse(en.contains { LineBreak.isWide($0) }, en)
    }

    /// What print and the REPL show of a value (a tensor's summary, gradcheck's result, a
    /// data set, a token data set, a run) and the default labels and footers of the charts
    /// a builtin draws, as whole catalogue sentences under zh; `diagnose`'s clauses joined by
    /// "；". The fields a script reads (names, `requires_grad`, method names) stay English;
    /// English unchanged.
    func testValueSummariesAndChartLabelsInChinese() {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        let lines = ["x = tensor([[1, 2], [3, 4]])", "print(x)", "fn f(v) { return sum(v ^ 2) }", "print(gradcheck(f, randn(2, 2)))",
                     "print(tokens(count: 20, length: 8))", "print(blobs(count: 30))",
                     "run = train(mlp([64, 32], batch_norm: false), digits(), method: \"positive-only\", epochs: 3, batch_size: 128, seed: 1)",
                     "print(run)", "print(plot(run))", "print(plot([1, 10, 100], [1, 2, 3], log_y: true))",
                     "print(heatmap(reshape(arange(64 * 64), [64, 64])))", "print(diagnose(run))"]
        let text = replSession([":lang zh"] + lines + [":lang en"] + lines, width: 60).text
        let parts = text.components(separatedBy: "Lessons and messages are now in English.")
        XCTAssertEqual(parts.count, 2, text)
        let (zh, en) = (parts[0], parts[1])
        for expected in ["形状 [2, 2]", "最小值 1  最大值 4  均值 2.5  标准差 1.118", "gradcheck 通过：最大绝对误差 ",
                         "tokens：20 个长度为 8 的序列，词表含 ", "blobs：30 个样本，形状 [2]，3 个类别（", "Positive-only（",
                         "Positive-only：每轮损失",
                         "）：3 轮，", " 步，每轮损失 [", "轮次", "损失", "（对数刻度）", "64×64，每格为 ", "个值的均值，取值 0 ... ",
                         "≥ 0.95；"] {
            XCTAssertTrue(zh.contains(expected), "no \"\(expected)\" in:\n\(zh)")
        }
        for english in ["shape [", "min 1", "gradcheck passed", "sequences", "samples", "epochs,", "loss per epoch", "(log scale)",
                        "values 0", "each cell", "; "] {
            XCTAssertFalse(zh.contains(english), "\"\(english)\" left in English in:\n\(zh)")
        }
        for expected in ["shape [2, 2]\nmin 1  max 4  mean 2.5  std 1.118", "gradcheck passed: max abs error ",
                         "tokens: 20 sequences of length 8, vocabulary of ", "blobs: 30 samples of shape [2], 3 classes (",
                         "Positive-only (", "): 3 epochs, ", "Positive-only: loss per epoch", "(log scale)", "64×64, each cell the mean of ", "≥ 0.95; "] {
            XCTAssertTrue(en.contains(expected), "no \"\(expected)\" in:\n\(en)")
        }
        XCTAssertFalse(en.contains { LineBreak.isWide($0) }, en)
    }

    /// `selfsup docs` in Chinese: headings, tables and group titles translated; English unchanged.
    func testTheDocsInChinese() {
        let saved = Messages.language
        defer { Messages.language = saved }
        let context = BuiltinContext(output: BufferOutputSink())
        Messages.language = .zh
        let chinese = context.docsMarkdown()
        Messages.language = .en
        let english = context.docsMarkdown()
        XCTAssertTrue(chinese.hasPrefix("# LabScript 内置函数\n"), String(chinese.prefix(200)))
        XCTAssertTrue(chinese.contains("\n## 损失\n"))
        XCTAssertTrue(chinese.contains("| 参数 | 默认值 | 含义 |\n|---|---|---|\n| `z1` | 必填 | 第一个视图的嵌入 [n, d] |"), chinese)
        XCTAssertTrue(chinese.contains("也是张量方法：`x.relu(…)` 即 `relu(x, …)`。"))
        XCTAssertTrue(english.hasPrefix("# LabScript builtins\n"))
        XCTAssertTrue(english.contains("| parameter | default | meaning |\n|---|---|---|\n| `z1` | required | embeddings of the first views [n, d] |"))
        XCTAssertFalse(english.contains { LineBreak.isWide($0) && !"≤≥".contains($0) }, "English docs with Chinese in them")
    }

    /// `?nt_xent`, a typo with its "did you mean", `help()` and `:help` in a Chinese REPL:
    /// translated text, names and examples as written, wrapped to the width by display width.
    func testTheREPLsHelpAndDiagnosticsInChinese() {
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .en
        let text = replSession([":lang zh", "?nt_xent", "nt_xnet", "help()", ":help", "tensor([1, 2, 3]) + tensor([1, 2])",
                                ":lang en", "nt_xnet", "tensor([1, 2, 3]) + tensor([1, 2])"], width: 60).text
        XCTAssertTrue(text.contains("SimCLR 的 NT-Xent"), text)
        XCTAssertTrue(text.contains("对全部 2n 个视图取平均。"), text)   // its details
        XCTAssertTrue(text.contains("  参数："), text)
        XCTAssertTrue(text.contains("    temperature = 0.5  余弦相似度所除以的 τ"), text)
        XCTAssertTrue(text.contains("  示例："), text)
        XCTAssertTrue(text.contains("z = randn(8, 4)"), text)   // the example is code: as written
        XCTAssertTrue(text.contains("未定义的名称 'nt_xnet'；你是不是想写 'nt_xent'？"), text)
        XCTAssertTrue(text.contains("undefined name 'nt_xnet'; did you mean 'nt_xent'?"), text)   // after :lang en
        XCTAssertTrue(text.contains("内置函数（help(\"name\") 查看其中一个）：\n\n语言：\n"), text)
        XCTAssertTrue(text.contains("元命令："), text)
        XCTAssertTrue(text.contains("形状 [3] 与 [2] 不匹配：第 0 维一个是 3，一个是 2（广播要求两者相等或其中一个为 1）"), text)
        XCTAssertTrue(text.contains("shapes [3] and [2] do not match: dimension 0 is 3 vs 2 (broadcasting needs equal sizes or 1)"), text)
        XCTAssertTrue(text.split(separator: "\n").contains { $0.hasPrefix("  :vars ") && $0.hasSuffix(" 列出你的变量及其类型和形状") }, text)
        // A builtin's help is wrapped to the width by display width (its example is code: as written).
        let help = replSession([":lang zh", "?nt_xent", ":lang en"], width: 40).text
        XCTAssertTrue(help.contains("对比学习") || help.contains("余弦相似度"), help)
        for line in help.split(separator: "\n") where !["z = ", "print("].contains(where: line.contains) {
            XCTAssertLessThanOrEqual(line.displayWidth, 40, String(line))
        }
    }
}
