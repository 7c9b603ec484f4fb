/// SelfSupervised: the losses, methods, training loop and evaluation of self-supervised
/// learning, and the typed experiment that puts them together (`Experiment`), built on TensorCore (tensors, autodiff), NeuralNet (layers, optimisers) and
/// ToyData (data sets, augmentations).
///
/// TensorCore is re-exported, so `crossEntropy` (the supervised baseline loss,
/// −(1/N) Σᵢ log softmax(logitsᵢ)[yᵢ]) and the tensor API are available to every client
/// of this module without a second import.
@_exported import TensorCore
