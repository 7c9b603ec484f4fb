// LabScript: the language of SelfSup Lab. This file holds no code, only the overview.
//
// Pipeline, one concept per file:
//   SourceFile → Lexer (Token) → Parser (+Statements, +Expressions) → AST (Expr, Stmt)
//   → Interpreter (+Statements, +Expressions, +Calls, +Operators, +Indexing, +Assignment)
//   → RunResult (a value, or Diagnostics rendered by DiagnosticRenderer).
//
// Grammar (EBNF; NEWLINE and ';' end statements; newlines inside ( ) and [ ] are ignored):
//
//   program    = { statement } ;
//   statement  = "fn" NAME "(" params ")" block
//              | "if" expr block [ "else" ( ifStmt | block ) ]
//              | "for" NAME "in" expr block
//              | "while" expr block
//              | "return" [ expr ] | "break" | "continue"
//              | expr [ ( "=" | "+=" | "-=" | "*=" | "/=" ) expr ] ;
//   block      = "{" { statement } "}" ;
//   params     = [ param { "," param } ] ;           param = NAME [ "=" expr ] ;
//   expr       = or ;  (precedence, loosest first)
//                or < and < not < comparison (== != < <= > >=) < range (..)
//                < additive (+ -) < multiplicative (* / % @) < unary - < power (^, right)
//                < postfix: call "(" args ")" | index "[" components "]" | "." NAME
//   args       = [ arg { "," arg } [ "," ] ] ;        arg = [ NAME ":" ] expr ;
//   components = component { "," component } ;      component = expr | [expr] ":" [expr] [ ":" [expr] ] ;
//   primary    = NUMBER | STRING | "true" | "false" | "nil" | NAME | "(" expr ")"
//              | "[" [ expr { "," expr } ] "]" | "{" [ NAME ":" expr { ("," | NEWLINE) NAME ":" expr } ] "}"
//              | "fn" "(" params ")" block ;
//   STRING     = '"' { char | escape | "{" expr "}" } '"' ;   escapes \n \t \r \" \\ \{ \}
//
// Semantics worth knowing:
// - Lists, records, strings and ranges are values (copy on assignment, copy-on-write
//   underneath); functions and host objects are references.
// - Conditions, `and`, `or`, `not` need booleans: there is no implicit truthiness.
// - `x = v` assigns in the current function (or top level); blocks open no scope;
//   closures see the scope they were made in; parameter defaults are evaluated once.
// - A function returns what `return` gives, else nil: there is no implicit result. A
//   function that ends with an expression whose value is not nil (`fn sq(x) { x * x }`)
//   throws that value away; the first time it does, a warning at that line says so
//   (`Interpreter.warnIfDiscardedEnding`), since it is nearly always a forgotten `return`.
// - Numbers are doubles; division and modulo by zero are errors; integers print without
//   ".0"; other numbers print in the shortest form that reads back exactly.
// - Every run executes on its own thread with a 64 MB stack; recursion depth, native stack
//   use, nesting of values, list/string sizes, steps and time are limited (InterpreterLimits)
//   and Ctrl-C is a CancellationFlag. Script input ends in a value or a Diagnostic.
//
// For hosts (LabBuiltins): register NativeFunction values (one registry entry each), wrap
// objects in HostObject, and read arguments through BoundArguments' typed accessors.
