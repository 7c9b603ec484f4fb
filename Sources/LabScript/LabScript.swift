// LabScript: filled by its issue.
