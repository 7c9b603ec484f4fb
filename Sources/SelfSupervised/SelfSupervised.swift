// SelfSupervised: filled by its issue.
