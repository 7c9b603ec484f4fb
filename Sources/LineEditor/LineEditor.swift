// LineEditor: filled by its issue.
