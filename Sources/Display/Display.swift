// Display: filled by its issue.
