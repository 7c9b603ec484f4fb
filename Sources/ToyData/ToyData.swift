// ToyData: filled by its issue.
