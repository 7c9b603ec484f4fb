import LabScript
import LabSupport

/// The scopes of one grading, and why learner code cannot change what tests see.
///
///     test scope          (fresh per test: the test's own variables)
///       └ learner view    (fresh per test: copies of the learner's globals, MINUS every
///       │                  name the grader layer or the builtins define)
///       └ grader layer    (protected: expect, expect_close, expect_equal, expect_shape)
///       └ builtins        (protected: every builtin, e.g. nt_xent, gradcheck)
///
///     learner scope       (the learner's globals: exercise and code cells run here)
///       └ builtins
///
/// What learner code may not call (file access, and the builtins an exercise forbids
/// with `forbid="nt_xent"`) is not a scope matter: learner cells run as untrusted source
/// files, and the interpreter refuses every name in `restrictions` when it is called from
/// such a file, and turns it into a refusing function when such a file reads it
/// (`Interpreter.restrictedNames`). So `f = backward; f(loss)`, `loss.backward()`, a
/// learner function called from a test and `my_loss = nt_xent` called by a test are
/// refused alike, while the tests themselves may use every builtin.
///
/// A learner who writes `fn expect(c, m) {}` or `nt_xent = fn(a, b) { 0 }` defines the
/// name in the learner scope only; that name is not copied into the learner view, so a
/// test resolves it in the grader layer or the builtins. Protected layers cannot be
/// modified in place from scripts, and assignment from a child scope only shadows. Tests
/// reach the learner's definitions by name (`my_loss(z1, z2)`); a learner name that
/// collides with a grader or builtin name is invisible to tests (by design: grader names win).
///
/// Test text never enters the learner scope: tests run after every learner cell, in their
/// own scopes, and learner functions only see the scope they were defined in.
struct GraderScopes {
    let interpreter: Interpreter
    let graderLayer: Scope
    let learner: Scope
    /// Name → the message refusing it to learner code (`Interpreter.restrictedNames`).
    let restrictions: [String: String]

    init(interpreter: Interpreter, forbidden: [String]) {
        self.interpreter = interpreter
        graderLayer = Scope(parent: interpreter.builtins, isProtected: true)
        for function in GraderExpectations.all { graderLayer.define(function.name, .native(function)) }

        var restrictions: [String: String] = [:]
        for name in GraderScopes.fileAccessNames(in: interpreter) {
            restrictions[name] = Messages.text("{name} reads or writes files, which is not allowed while grading", ["name": name])
        }
        for name in forbidden {
            restrictions[name] = Messages.text("{name} is not available in this exercise: write it yourself from primitives",
                                               ["name": name])
        }
        self.restrictions = restrictions
        learner = Scope(parent: interpreter.builtins)
    }

    /// The learner's globals (minus protected names) as they are when the learner's cells
    /// have run, before any test: tensors copied (`Value.isolatedCopy`). Tests see these,
    /// not the live globals, so learner code that a test calls and that changes a global
    /// in place (`x[0] = x[0] * 0`) cannot change what later tests compute from it.
    func snapshotForTests() -> [(String, Value)] {
        learner.localNames.filter { !isProtected($0) }.compactMap { name in
            learner.lookup(name).map { (name, $0.isolatedCopy()) }
        }
    }

    /// A fresh scope for one test over the snapshot (`snapshotForTests`), each test with
    /// copies of its own, so what one test does to a tensor in place no other test sees.
    func makeTestScope(_ snapshot: [(String, Value)]) -> Scope {
        let view = Scope(parent: graderLayer)
        for (name, value) in snapshot { view.define(name, value.isolatedCopy()) }
        return Scope(parent: view)
    }

    /// Whether a name belongs to the grader (its layer or the builtins).
    func isProtected(_ name: String) -> Bool {
        graderLayer.lookup(name) != nil
    }

    /// Learner globals that tests cannot see because a grader or builtin name wins.
    var shadowedLearnerNames: [String] {
        learner.localNames.filter(isProtected)
    }

    /// Builtins that touch files: their names start with load, save, read, write, open,
    /// import or include, or contain "file".
    static func fileAccessNames(in interpreter: Interpreter) -> [String] {
        let prefixes = ["load", "save", "read", "write", "open", "import", "include", "export"]
        return interpreter.registeredFunctions.map(\.name).filter { name in
            prefixes.contains { name.hasPrefix($0) } || name.contains("file")
        }
    }
}
