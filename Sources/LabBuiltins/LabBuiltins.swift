// LabBuiltins: filled by its issue.
