/// A layer of variables. Lookups walk outwards through parents; assignment always writes
/// the current scope (the innermost function call, or the top level).
///
/// So scopes form layers: the interpreter's `builtins` scope (language and host builtins)
/// sits under the `globals` scope where a program's top-level names live. A script that
/// assigns `print = 3` only shadows `print` in its own layer; it can never change an outer
/// layer. A grader can run its checks in a fresh child of `builtins` (or of any scope it
/// prepares) and is immune to what learner code assigned. Functions see the variables of
/// the scope they were defined in (closures); a function that assigns a name makes a local
/// variable, as in Python. Blocks (`if`, `for`, `while`) do not open scopes.
public final class Scope {
    public let parent: Scope?
    /// A protected scope's values cannot be modified in place from scripts (`print.x = 1`,
    /// `xs[0] = 1` where `xs` lives here); assignment from a child scope only shadows.
    public let isProtected: Bool
    var variables: [String: Value] = [:]

    public init(parent: Scope? = nil, isProtected: Bool = false) {
        self.parent = parent
        self.isProtected = isProtected
    }

    /// Frees what this scope holds iteratively. A closure holds the scope it was made in,
    /// which can hold another closure, and so on: `f = wrap(f)` run 200,000 times makes a
    /// chain that Swift would free recursively, one nested release per link, overflowing
    /// the stack. Here each link is taken apart in a loop: a scope no one else holds gives
    /// up its variables (and its parent) to a work list before it goes.
    deinit {
        guard !variables.isEmpty else { return }
        var values = Array(variables.values)
        variables.removeAll()
        var scopes: [Scope] = []
        while true {
            if let value = values.popLast() {
                switch value {
                case .function(let function):
                    // Holding the closure here, releasing `function` cannot free it in a nested release.
                    scopes.append(function.closure)
                case .list(let items):
                    values.append(contentsOf: items)
                case .record(let record):
                    for key in record.keys { if let item = record[key] { values.append(item) } }
                default:
                    break
                }
            } else if var scope = scopes.popLast() {
                if isKnownUniquelyReferenced(&scope) {
                    values.append(contentsOf: scope.variables.values)
                    scope.variables.removeAll()
                    if let parent = scope.parent { scopes.append(parent) }
                }
            } else {
                return
            }
        }
    }

    /// The scope defining `name`, starting here and walking outwards.
    func owner(of name: String) -> Scope? {
        var scope: Scope? = self
        while let current = scope {
            if current.variables[name] != nil { return current }
            scope = current.parent
        }
        return nil
    }

    /// Looks `name` up here and then in enclosing scopes.
    public func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }

    /// Defines or overwrites `name` in this scope.
    public func define(_ name: String, _ value: Value) {
        variables[name] = value
    }

    /// Every visible name (for "did you mean" and tab completion).
    public var allNames: Set<String> {
        var names = Set<String>()
        var scope: Scope? = self
        while let current = scope {
            names.formUnion(current.variables.keys)
            scope = current.parent
        }
        return names
    }

    /// Names defined in this scope only.
    public var localNames: [String] { variables.keys.sorted() }

    /// In-place update of a variable defined in this scope (keeps copy-on-write storage
    /// of lists and records unique so `x[i] = v` does not copy the list).
    func modifyLocal<T>(_ name: String, _ body: (inout Value) throws -> T) rethrows -> T? {
        guard variables[name] != nil else { return nil }
        return try body(&variables[name, default: .nilValue])
    }
}
