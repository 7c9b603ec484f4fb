import Display
import LabScript
import LabSupport
import TensorCore

/// Pictures: line plots, scatter plots, heatmaps, histograms, image grids and PCA. Each
/// returns a chart, which prints in the terminal (`print(c)`, or the REPL's echo) and
/// saves as SVG (`save(c, "c.svg")`); `show(x)` prints at once.
extension Builtins {
    static func display(_ state: BuiltinState) -> BuiltinGroup {
        func chart(_ value: Chart) -> Value { .host(ChartValue(value, state: state)) }
        let title = Parameter("title", default: .nilValue, documentation: "a title above the chart")
        /// Numbers from a tensor or a (nested) list, with the shape.
        func values(_ args: BoundArguments, _ name: String, _ context: CallContext) throws -> Tensor {
            try args.tensor(name, context)
        }
        func labels(_ args: BoundArguments, _ context: CallContext) throws -> Tensor? {
            if args["labels"].isNil { return nil }
            return try TensorConversion.tensor(from: args["labels"], context: context, what: args.functionName)
        }
        return BuiltinGroup("Display", [
            builtin("show", [Parameter("x", documentation: "a chart, images [N, C, H, W] / [N, H, W] / [H, W], a data set, or a diagnosis (its dashboard)"),
                             Parameter.count("count", default: .number(16), in: 1...BoundArguments.maxCount, documentation: "images shown of a data set"),
                             Parameter("scale", default: .nilValue, documentation: "terminal cells per pixel"), title],
                    summary: "Prints a chart, a grid of images, or the first images of a data set with their class names.",
                    example: "show(rand(2, 3, 8, 8))", lesson: LessonNumber.augmentations) { args, context in
                if let scale = try args.optionalInt("scale"), !(1...16).contains(scale) {
                    throw RuntimeError(.argument, Messages.text("show: scale must lie in 1...16, got {scale}", ["scale": String(scale)]), at: args.range(of: "scale"))
                }
                let picture: Chart
                switch args["x"] {
                case .host(let object as ChartValue): picture = object.chart
                case .host(let object as DiagnosisValue):
                    // The collapse dashboard: several charts, shown one after the other.
                    let charts = try object.dashboard()
                    guard let last = charts.last else { throw context.error(Messages.text("show: the diagnosis has no measurement to draw")) }
                    for chart in charts.dropLast() {
                        if let figureSink = state.figureSink { figureSink(chart) } else { context.write(chart.render(state.display.terminal) + "\n") }
                    }
                    picture = last
                case .host(let object as DatasetValue):
                    let data = object.dataset
                    guard data.inputs.rank == 4 || data.inputs.rank == 3 else {
                        throw context.error(Messages.text("show: the data set {name} holds points of shape {shape}, not images; use scatter", ["name": data.name, "shape": formatShape(data.inputs.shape)]))
                    }
                    let n = min(try args.count("count"), data.count)
                    let subset = try data.selecting(Array(0..<n))
                    picture = try subset.inputs.showImages(labels: subset.labels.map { data.classNames[$0] },
                                                           scale: try args.optionalInt("scale"), title: try args.optionalString("title"))
                default:
                    picture = try values(args, "x", context).showImages(scale: try args.optionalInt("scale"), title: try args.optionalString("title"))
                }
                if let figureSink = state.figureSink {
                    figureSink(picture)
                } else {
                    context.write(picture.render(state.display.terminal) + "\n")
                }
                return .nilValue
            },
            builtin("plot", [Parameter("x", documentation: "the values: a vector, a list of numbers, or rows of series; the x values when y follows; or a run from train"),
                             Parameter("y", default: .nilValue, documentation: "the values plotted against x (one per x value, or rows of series)"),
                             Parameter("names", default: .list([]), documentation: "a name per series"), title,
                             Parameter("x_label", default: .nilValue), Parameter("y_label", default: .nilValue),
                             Parameter("log_y", default: .bool(false))],
                    summary: "A line plot of values against their index, or plot(xs, ys) against the x values (each row of a matrix is one series).",
                    details: "plot(xs, ys) puts the swept values on the axis, e.g. plot([16, 64, 256], accuracies, x_label: \"batch size\"). "
                        + "plot(run) draws a run's loss per epoch, the epochs counted from 1 as the progress bar counts them. "
                        + "For categories (method A against B) use bar; for exact numbers, table.",
                    example: "c = plot([3, 2, 1.5, 1.2, 1.1], title: \"loss\")\nprint(c)\nprint(plot([0.1, 0.5, 1], [0.6, 0.7, 0.65], x_label: \"temperature\"))",
                    lesson: LessonNumber.supervised) { args, context in
                let names = try args.list("names").map(\.displayString)
                let title = try args.optionalString("title"), xLabel = try args.optionalString("x_label")
                let yLabel = try args.optionalString("y_label"), logY = try args.bool("log_y")
                if case .host(let run as RunValue) = args["x"], args["y"].isNil {
                    guard !run.history.losses.isEmpty else { throw context.error(Messages.text("plot: the run has no finished epoch to plot")) }
                    var picture = try Display.lossPlot(run.history.losses, name: names.first ?? "",
                                                       title: title ?? Messages.text("{method}: loss per epoch", ["method": run.methodName]), logY: logY)
                    picture.xLabel = xLabel ?? picture.xLabel
                    picture.yLabel = yLabel ?? picture.yLabel
                    return chart(picture)
                }
                guard !args["y"].isNil else {
                    return chart(try values(args, "x", context).plot(names: names, title: title, xLabel: xLabel, yLabel: yLabel, logY: logY))
                }
                let xs = try values(args, "x", context), ys = try values(args, "y", context)
                guard xs.rank == 1 else { throw context.error(Messages.text("plot: the x values must be a vector or a list of numbers, got shape {shape}",
                                                                                ["shape": formatShape(xs.shape)])) }
                return chart(try ys.plot(x: xs.data.map(Double.init), names: names, title: title, xLabel: xLabel, yLabel: yLabel, logY: logY))
            },
            builtin("scatter", [Parameter("points", documentation: "[n, 2] (more columns: the first two are used)"),
                                Parameter("labels", default: .nilValue, documentation: "n class indices to colour by"), title,
                                Parameter("names", default: .list([]), documentation: "a name per label, for the legend"),
                                Parameter("x_label", default: .nilValue), Parameter("y_label", default: .nilValue)],
                    summary: "A scatter plot of 2-D points, coloured by class.",
                    details: "For embeddings of more than 2 dimensions, scatter(pca(z)) shows the first two principal components. "
                        + "One point per item with labels 0, 1, 2, … and names gives each point its own colour and legend entry.",
                    example: "d = blobs(count: 60)\nprint(scatter(d.x, labels: d.labels))", lesson: LessonNumber.collapse) { args, context in
                var picture = try values(args, "points", context).scatter(labels: try labels(args, context),
                                                                          classNames: try args.list("names").map(\.displayString),
                                                                          title: try args.optionalString("title"))
                picture.xLabel = try args.optionalString("x_label")
                picture.yLabel = try args.optionalString("y_label")
                return chart(picture)
            },
            builtin("heatmap", [Parameter("x", documentation: "a matrix"), Parameter("diverging", default: .nilValue, documentation: "a colour map centred on 0 (default: when x has both signs)"), title],
                    summary: "A heatmap of a matrix, e.g. a cross-correlation or similarity matrix.",
                    example: "print(heatmap(eye(4), title: \"identity\"))", lesson: LessonNumber.nonContrastive) { args, context in
                let diverging: Bool? = args["diverging"].isNil ? nil : try args.bool("diverging")
                return chart(try values(args, "x", context).heatmap(diverging: diverging, title: try args.optionalString("title")))
            },
            builtin("hist", [Parameter("x", documentation: "values (any shape)"), Parameter.count("bins", default: .number(20), in: 1...10_000), title],
                    summary: "A histogram of all the values.",
                    example: "print(hist(randn(500), bins: 10))", lesson: LessonNumber.collapse) { args, context in
                let bins = try args.count("bins")
                guard bins <= 1000 else { throw context.error(Messages.text("hist: at most 1000 bins, got {bins}", ["bins": String(bins)])) }
                return chart(try values(args, "x", context).hist(bins: bins, title: try args.optionalString("title")))
            },
            builtin("pca", [Parameter("x", documentation: "points [n, d]"), Parameter.count("k", default: .number(2), in: 1...BoundArguments.maxCount, documentation: "components kept")],
                    summary: "The points projected on their k principal components (the directions of largest variance), [n, k].",
                    example: "z = pca(randn(50, 5))\nprint(z.shape)   # [50, 2]", lesson: LessonNumber.collapse) { args, context in
                let x = try values(args, "x", context)
                let k = try args.count("k")
                guard x.rank == 2, x.shape[1] <= 2000, k <= x.shape[1] else {
                    throw context.error(Messages.text("pca: expects points [n, d] with k ≤ d ≤ 2000, got k = {k} and shape {shape}", ["k": String(k), "shape": formatShape(x.shape)]))
                }
                let result = try x.pca(k: k)
                let columns = result.projected.first?.count ?? k
                return state.wrap(Tensor(shape: [result.projected.count, columns], data: result.projected.flatMap { $0.map(Float.init) }))
            },
        ] + barAndTable(state))
    }
}
