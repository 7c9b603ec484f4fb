import Foundation

/// What a method entry declares about collapse, for `diagnose`: the loss of the constant
/// solution, whether its loss has negatives (so a temperature or a tiny batch can spoil it),
/// the settings that take its anti-collapse mechanism away, and the change to suggest when a
/// collapse is measured that the configuration does not explain. One place per method, in
/// its entry (`TrainingMethods.all`); `CollapseDiagnosis` reads it and names no method.
public struct MethodCollapse: Sendable {
    /// A configuration of this method that allows a collapse: when `applies`, the cause,
    /// the runnable fix and the lesson that explains it.
    public struct Risk: Sendable {
        public var applies: @Sendable (RunDescription) -> Bool
        public var cause: DiagnosisCause
        public var fix: [String]
        public var lesson: Int
        public init(_ cause: DiagnosisCause, fix: [String], lesson: Int, when applies: @escaping @Sendable (RunDescription) -> Bool) {
            self.applies = applies; self.cause = cause; self.fix = fix; self.lesson = lesson
        }
    }

    /// The loss every output being the same vector gives (`width`: the output width when
    /// measured); nil where none is defined.
    public var trivialLoss: @Sendable (RunDescription, Int?) -> Double?
    /// The loss compares each positive with negatives (contrastive).
    public var negatives: Bool
    public var risks: [Risk]
    /// The change for a collapse the configuration does not explain, and its lesson.
    public var unexplainedFix: [String]
    public var unexplainedLesson: Int
    /// How many directions the loss can ask of the last network output measured, when it
    /// reads that output through a map of fewer outputs than its width: DeepCluster's k-way
    /// classifier on the encoder's features reads k (its loss is minimised by features that
    /// separate k cluster means, k − 1 directions). A healthy run then narrows its features
    /// from a random network's spread towards k, and `CollapseDiagnosis` judges dimensional
    /// collapse there against min(peak, k). nil: the loss reads every direction.
    public var lossDirections: @Sendable (RunDescription) -> Int?

    public init(trivialLoss: @escaping @Sendable (RunDescription, Int?) -> Double? = { _, _ in nil },
                negatives: Bool = false, risks: [Risk] = [],
                unexplainedFix: [String] = ["method: \"vicreg\""], unexplainedLesson: Int = 7,
                lossDirections: @escaping @Sendable (RunDescription) -> Int? = { _ in nil }) {
        self.trivialLoss = trivialLoss; self.negatives = negatives; self.risks = risks
        self.unexplainedFix = unexplainedFix; self.unexplainedLesson = unexplainedLesson
        self.lossDirections = lossDirections
    }
}

extension TrainingMethod {
    /// The entry with what it declares about collapse (see `MethodCollapse`).
    public func collapsing(_ collapse: MethodCollapse) -> TrainingMethod {
        var entry = self
        entry.collapse = collapse
        return entry
    }
}
