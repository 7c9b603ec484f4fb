import Foundation
import XCTest
@testable import LabCLI

/// `:lesson N` in the REPL runs the lesson in a scope of its own, then hands its variables
/// to the learner, asking before it replaces one of theirs.
final class REPLLessonScopeTests: XCTestCase {
    /// `:lesson 0` runs in a scope of its own: it cannot see the learner's `tensor = 3`
    /// (it calls tensor(…)), and the learner's `a` survives unless they answer yes.
    func testLessonRunsInItsOwnScopeAndAsksBeforeReplacing() {
        let (kept, prompts) = replSession(["tensor = 3", "a = \"mine\"", ":lesson 0", "n", "print(a, tensor, type(b))"])
        XCTAssertNil(kept.range(of: #"00-tour\.lab:\d+:\d+: error"#, options: .regularExpression),
                     "the lesson ran to the end, its tensor(…) calls unaffected: \(kept)")
        XCTAssertTrue(prompts.contains("The lesson made a, which you have too. Replace yours with the lesson's? [y/N] "),
                      "\(prompts)")
        XCTAssertTrue(kept.contains("Kept your a; the lesson's other variables are yours now: try :vars"), kept)
        XCTAssertTrue(kept.hasSuffix("mine 3 tensor\n"), kept)
        let replaced = replSession(["a = \"mine\"", ":lesson 0", "yes", "print(type(a))"]).text
        XCTAssertTrue(replaced.contains("The lesson's variables are yours now: try :vars"), replaced)
        XCTAssertTrue(replaced.hasSuffix("tensor\n"), replaced)
        // No answer (end of input) keeps the learner's.
        let unanswered = replSession(["a = \"mine\"", ":lesson 0"]).text
        XCTAssertTrue(unanswered.contains("Kept your a"), unanswered)
    }
}
