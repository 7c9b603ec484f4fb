/// The syntax tree: plain enums, walked by `switch` in the interpreter (no visitors).

/// Binary operators. Arithmetic on numbers is IEEE double arithmetic; `^` is power
/// (right-associative), `@` is matrix product (host values only), `%` is the floored
/// modulo `a - b * floor(a / b)`.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case power = "^", matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="

    public var symbol: String { rawValue }
}

/// An expression with its source range, and the depth of its tree (1 for a leaf).
///
/// The depth is worked out from the children's as a node is made, so the parser can
/// refuse an expression that would be too deep to evaluate or free without overflowing
/// the stack (a chain `1 + 1 + … + 1` or `x.a.a.a…` is built by a loop, not by recursion,
/// so nesting alone does not bound it).
public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange
    public let depth: Int

    public init(kind: ExprKind, range: SourceRange) {
        self.kind = kind
        self.range = range
        self.depth = 1 + kind.childDepth
    }
}

extension ExprKind {
    /// The largest depth among the direct child expressions (0 for a leaf). A function
    /// literal counts as a leaf: its body is statements, whose nesting the parser bounds.
    var childDepth: Int {
        switch self {
        case .number, .bool, .nilLiteral, .variable, .function:
            return 0
        case .string(let parts):
            return parts.reduce(0) { deepest, part in
                if case .expr(let e) = part { return max(deepest, e.depth) }
                return deepest
            }
        case .list(let items):
            return items.reduce(0) { max($0, $1.depth) }
        case .record(let entries):
            return entries.reduce(0) { max($0, $1.value.depth) }
        case .negate(let e), .not(let e), .field(let e, _):
            return e.depth
        case .binary(_, let a, let b), .logical(_, let a, let b), .range(let a, let b):
            return max(a.depth, b.depth)
        case .call(let callee, let arguments):
            return arguments.reduce(callee.depth) { max($0, $1.value.depth) }
        case .index(let base, let components):
            return components.reduce(base.depth) { deepest, component in
                switch component {
                case .single(let e): return max(deepest, e.depth)
                case .slice(let a, let b, let c):
                    return max(deepest, a?.depth ?? 0, b?.depth ?? 0, c?.depth ?? 0)
                }
            }
        }
    }
}

public indirect enum ExprKind: Sendable {
    case number(Double)
    case string([InterpolationPart])
    case bool(Bool)
    case nilLiteral
    case variable(String)
    case list([Expr])
    case record([RecordEntry])
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `and` / `or`, short-circuiting.
    case logical(isAnd: Bool, Expr, Expr)
    /// `start..end`, half-open.
    case range(Expr, Expr)
    case call(callee: Expr, arguments: [Argument])
    case index(Expr, [IndexExpr])
    case field(Expr, name: String)
    case function(FunctionDecl)
}

public enum InterpolationPart: Sendable {
    case text(String)
    case expr(Expr)
}

public struct RecordEntry: Sendable {
    public var key: String
    public var value: Expr
}

/// A call argument; `label` is set for named arguments (`temperature: 0.5`).
public struct Argument: Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expr
}

/// One component of `x[…]`: an expression, or a slice `start:stop:step` with optional parts.
public enum IndexExpr: Sendable {
    case single(Expr)
    case slice(start: Expr?, stop: Expr?, step: Expr?)
}

/// A parameter in a function definition: `t = 0.5`.
public struct ParameterDecl: Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var range: SourceRange
}

/// A function definition (named `fn f(x) {…}` or anonymous `fn(x) {…}`). A class so that
/// every closure made from one definition shares it.
public final class FunctionDecl: Sendable {
    public let name: String
    public let parameters: [ParameterDecl]
    public let body: [Stmt]
    public let range: SourceRange

    init(name: String, parameters: [ParameterDecl], body: [Stmt], range: SourceRange) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.range = range
    }
}

/// A statement with its source range.
public struct Stmt: Sendable {
    public var kind: StmtKind
    public var range: SourceRange
}

public indirect enum StmtKind: Sendable {
    case expression(Expr)
    /// `target = value`; target is a variable, an index `x[i]` or a field `r.name`.
    case assign(target: Expr, value: Expr)
    case function(FunctionDecl)
    case returnValue(Expr?)
    case ifElse(condition: Expr, then: [Stmt], otherwise: [Stmt]?)
    case forIn(variable: String, sequence: Expr, body: [Stmt])
    case whileLoop(condition: Expr, body: [Stmt])
    case breakLoop
    case continueLoop
}
