"""featurecheck.numerics: measure what :mod:`featurecheck.theory` states.

One folder per layer; a module imports only from its own layer, a layer below it, or
:mod:`featurecheck.theory` (``tests/checking/test_layout.py`` enforces this). From the bottom up:

``_kernels``
    The numba policy, the RNG streams (one registry of purposes) and every ``@jit`` kernel.
``estimators``
    Thin public wrappers over the kernels: validate, own the RNG and chunking, return typed results
    (cube functions, Walsh spectra, Gaussian Monte Carlo, ReLU gradients, bound checks, intervals).
``experiments``
    Training and sweeps: SGD on parities, structured inputs, multi-index and spiked models, staircases.
``checking``
    Routes, budgets, the engine that judges a claim, seeds and replay commands.
``claims``
    The registered claims, as data, and the loader that finds them.
``testing``
    The user-claim API, calibrated assertions, Hypothesis strategies and the pytest plugin.
``cli``
    The ``featurecheck`` command.

``facade`` is not a layer of this package: it is installed as the top-level package ``featurecheck``
(the public API) and imports from every layer.
"""
