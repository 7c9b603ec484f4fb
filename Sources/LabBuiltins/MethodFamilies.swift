import SelfSupervised

/// Where each training method sits on the map of self-supervised learning (lesson 8), and
/// the lesson that teaches it. Keyed by the names of `TrainingMethods.all`, which the map
/// iterates, so a method is on the map as soon as it is in the table; a test fails when a
/// method has no family here.
enum MethodFamilies {
    /// The families of joint-embedding methods in the order the map draws them, with the
    /// idea that keeps each from collapsing.
    static let families: [(name: String, idea: String)] = [
        ("contrastive", "pull the two views together, push other images (negatives) away"),
        ("distillation (asymmetry)", "no negatives: a predictor and a stop-gradient or momentum target break the symmetry"),
        ("redundancy reduction / whitening", "no negatives: decorrelate or whiten the embedding dimensions so they cannot all agree"),
        ("clustering", "predict pseudo-labels from k-means on the features"),
        ("supervised", "the reference: labels for every training image"),
        ("none (collapses)", "positive pairs and nothing else: every input maps to one point"),
    ]

    /// Family and lesson per method name (`TrainingMethods` names).
    static let placement: [String: (family: String, lesson: Int?)] = [
        "simclr": ("contrastive", LessonNumber.contrastive),
        "moco": ("contrastive", LessonNumber.contrastive),
        "dcl": ("contrastive", nil),
        "byol": ("distillation (asymmetry)", LessonNumber.positives),
        "simsiam": ("distillation (asymmetry)", LessonNumber.positives),
        "barlow": ("redundancy reduction / whitening", LessonNumber.nonContrastive),
        "vicreg": ("redundancy reduction / whitening", LessonNumber.positives),
        "wmse": ("redundancy reduction / whitening", LessonNumber.positives),
        "deepcluster": ("clustering", LessonNumber.positives),
        "supervised": ("supervised", LessonNumber.supervised),
        "positive-only": ("none (collapses)", LessonNumber.collapse),
    ]

    /// One record per method of the table, in table order: name, title, summary, family, lesson.
    static var records: [(name: String, title: String, summary: String, family: String, lesson: Int?)] {
        TrainingMethods.all.map { m in
            let place = placement[m.name]
            return (m.name, m.title, m.summary, place?.family ?? "unplaced", place?.lesson)
        }
    }
}
