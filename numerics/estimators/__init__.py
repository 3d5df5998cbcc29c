"""Layer 2, estimators: the public wrappers over the kernels.

Each validates its arguments before any kernel runs, owns the RNG and the chunking, and returns a typed
result (``Estimate``, a ``Fraction``, an array): cube functions and their exact/Monte Carlo moments
(:mod:`.cube`), Walsh spectra (:mod:`.walsh`), Gaussian Monte Carlo (:mod:`.gaussian`), ReLU-neuron
gradients (:mod:`.gradients`), numeric checks of bounds (:mod:`.bound_checks`), and confidence intervals
(:mod:`.intervals`).

May import: :mod:`featurecheck.numerics._kernels`, :mod:`featurecheck.theory`, and this folder.
"""
