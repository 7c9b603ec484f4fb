// LabBuiltins: the bridge between LabScript and the numerical modules. This file holds
// no code, only the overview.
//
// One registry. Every builtin is one `NativeFunction` (LabScript's registry entry: name,
// parameters with defaults and documentation, summary, details, a runnable example, the
// lesson that introduces it, the implementation), made with `builtin(...)` in the
// `Builtins+Group.swift` file of its group and listed in `BuiltinRegistry.standard`:
//
//   Builtins+Tensor        creation, random numbers, item/tolist/shape/rows/cols
//   Builtins+Math          elementwise functions, matmul, outer, diag, offdiag, where
//   Builtins+Reduce        sum/mean/max/min/argmax, var/std, softmax family, normalize
//   Builtins+Shape         reshape, transpose, permute, cat/stack, pad, conv2d, pooling
//   Builtins+Autograd      backward, zero_grad, detach, no_grad, gradcheck
//   Builtins+Losses        cross_entropy, mse and the SSL losses (nt_xent … wmse)
//   Builtins+Models        mlp, convnet, heads, layers, sequential, copy/freeze, EMA
//   Builtins+Training      optimisers (sgd, adam, adamw, lars), save/load
//   Builtins+Methods       train(enc, data, method: …): an Experiment (SelfSupervised) run
//   Builtins+Data          shapes, digits, blobs, moons, tokens, split/subset/select
//   Builtins+Augmentations pipelines, single augmentations, compose, augment, views
//   Builtins+Evaluation    embed, linear/kNN/localisation probes, collapse metrics
//   Builtins+Display       show, plot, scatter, heatmap, hist, pca
//   Builtins+Session       seed, help
//
// The interpreter's builtin scope, `help(name)`, the REPL's completion (which reads the
// interpreter's builtin scope) and `BuiltinContext.docsMarkdown()` all read the registry. The language's own builtins
// (print, len, expect, …) are listed in it as the group "Language"; where LabBuiltins
// extends one of them to tensors (abs, exp, log, sqrt, max, min) the number version
// still answers for numbers.
//
// Host objects (script values the interpreter sees only through `HostObject`):
// TensorValue (+Operators, +Indexing), ModelValue, OptimizerValue, DatasetValue,
// TokensValue, PipelineValue, ChartValue, RunValue, GradcheckValue.
//
// Errors: library errors (TensorError, DisplayError, ToyDataError, …) become script
// errors at the call (`bridged`); a result over `InterpreterLimits.maxElements` is refused
// before it is computed (`CallContext.checkShape`). Randomness comes only from the
// session's generator in `BuiltinState`, seeded with a fixed default.
//
// `BuiltinContext` is a session's builtin layer (interpreter, registry, `BuiltinState`); the
// session the CLI, the REPL, the grader and the kernel use is Notebook's `ScriptSession`,
// which owns one (see their doc comments).
