import Foundation
import LabBuiltins
import LabScript
import LabSupport
import Notebook
import XCTest
@testable import LabCLI

/// The errors of setting up a training run (`train`'s method, its settings, its training
/// values and its arguments' types) in Chinese: whole sentences of the catalogue with the
/// setting names, method names and values as written; English unchanged.
final class TrainingSetupTranslationTests: XCTestCase {
    func testTrainingSetUpErrorsInChineseAndEnglish() {
        let call = "train(mlp([2, 8, 4]), blobs(count: 16), epochs: 1, batch_size: 8"
        let cases: [(source: String, english: String, chinese: String)] = [
            ("\(call), method: \"simclrr\")\n", "train: unknown method \"simclrr\"; did you mean 'simclr'? (methods: simclr,",
             "train：未知方法 \"simclrr\"；你是不是想写 'simclr'？（可用方法：simclr,"),
            ("\(call), method: \"zzzzzzzz\")\n", "train: unknown method \"zzzzzzzz\" (methods: simclr,",
             "train：未知方法 \"zzzzzzzz\"（可用方法：simclr,"),
            ("\(call), method: \"nnclr\", queue_size: 0)\n", "train: queue_size must be a whole number from 1 to 1000000, got 0",
             "train：queue_size 必须是 1 到 1000000 之间的整数，却得到 0"),
            ("\(call), method: \"nnclr\", momentum: 0.9)\n", "train: nnclr has no setting 'momentum' (its settings: ",
             "train：nnclr 没有设置 'momentum'（它的设置："),
            ("\(call), method: \"simclr\", temperature: -1)\n", "train: temperature must be a number > 0, got -1",
             "train：temperature 必须是 > 0 的数，却得到 -1"),
            ("\(call), learning_rate: 0)\n", "train: learning_rate must be positive", "train：learning_rate 必须为正数"),
            ("\(call), optimizer: \"adamw\")\n", "train: optimizer must be \"adam\", \"sgd\" or \"lars\", got \"adamw\"",
             "train：optimizer 必须是 \"adam\"、\"sgd\" 或 \"lars\"，却得到 \"adamw\""),
            ("train(3, blobs(count: 16))\n", "train: argument 'encoder' must be a model, got number",
             "train：参数 'encoder' 必须是模型，却得到 number"),
            ("train(mlp([2, 8, 4]), 3)\n", "train: argument 'data' must be a data set, got number",
             "train：参数 'data' 必须是数据集，却得到 number"),
            // A phrase that starts with a name keeps its space after 必须是.
            ("token_posterior(3, 0, 0)\n", "token_posterior: argument 'data' must be a tokens() data set, got number",
             "token_posterior：参数 'data' 必须是 tokens() 数据集，却得到 number"),
        ]
        for (source, english, chinese) in cases {
            let en = DiagnosticTranslationTests.rendered(source, .en)
            let zh = DiagnosticTranslationTests.rendered(source, .zh)
            XCTAssertTrue(en.contains(english), "English of \(source):\n\(en)")
            XCTAssertTrue(zh.contains(chinese), "Chinese of \(source):\n\(zh)")
            // The same place in both languages: the location line and the caret.
            XCTAssertEqual(Array(en.split(separator: "\n").dropFirst().prefix(2)), Array(zh.split(separator: "\n").dropFirst().prefix(2)),
                           source)
        }
    }
}
