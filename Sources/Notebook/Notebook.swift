// Notebook: filled by its issue.
