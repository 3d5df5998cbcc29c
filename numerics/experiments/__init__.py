"""Layer 3, experiments: training runs and sweeps, each a pure function of ``(settings, seed)``.

They cover SGD on sparse parities (:mod:`.sgd`, :mod:`.sweep`), staircases (:mod:`.staircase`), the
multi-index and spiked-covariance models (:mod:`.multi_index`, :mod:`.spiked`), structured inputs
(:mod:`.structured`), and the fitting helpers and kernel baselines they share (:mod:`.baselines`).

May import: :mod:`featurecheck.numerics.estimators`, :mod:`featurecheck.numerics._kernels`,
:mod:`featurecheck.theory`, and this folder.
"""
