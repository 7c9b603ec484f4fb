// NeuralNet: filled by its issue.
