// Display: how things look, in the terminal and as SVG.
//
// - Tensor printing: `describeTensor(data:shape:)` / `Tensor.displayString()` (shape, stats
//   line, NumPy-style summary from `formatArray`), `NumberFormat.scalar` for numbers.
// - Charts: `plot`, `scatter`, `heatmap`, `hist`, `show(images:)` make a `Chart`;
//   `chart.render(capabilities)` is terminal text, `chart.svg()` an SVG document,
//   `chart.save(to:)` writes that SVG atomically.
// - `TerminalCapabilities.detect()` decides colour (off for NO_COLOR and non-terminals) and
//   width; `.plain` is colour off at 80 columns, what tests and files use.
// - `pca(points, k:)` projects embeddings to 2-D for `scatter`.
// - `ProgressBar` reports training progress to a sink.
//
// Every function a script can reach with bad input throws `DisplayError`; nothing traps.
