"""Structured-input experiments: Daniely–Malach parities and the Shi–Wei–Liang pattern model.

Data models, a two-layer network trained on a *finite* sample, and fixed-feature baselines trained on
the same sample (theory reference, section 4). One module per part; every public name is re-exported
here.

- :mod:`.data`: :class:`DanielyMalach`: ``D_A`` = weight ``1 - q`` uniform on ``{-1,+1}^n`` plus
  weight ``q`` "easy" points whose coordinates in ``A`` share one common value (``+1`` by default, or a
  fair random sign); label ``chi_A(x)`` (Daniely & Malach 2020). :class:`PatternModel`: the dictionary
  model of Shi, Wei & Liang 2022 (problem setup): ``M`` (d x D, orthonormal columns), hidden
  ``phi in {0,1}^D``, class-relevant ``A`` (``|A| = k``), label ``+1`` iff ``sum_{i in A} phi_i in P``;
  background patterns Bernoulli(``p_o``); input ``x = (M phi - E[M phi]) / sigma`` with the scalar
  ``sigma`` chosen so that ``E||x||^2 = d``. With structure ``phi_A`` is uniform w.p. 1/2, all-ones
  w.p. 1/4, all-zeros w.p. 1/4 (balanced classes and ``gamma = 1/4 > 0`` for odd ``k``); without
  structure every pattern is Bernoulli(1/2). Also :func:`rng_for` and :func:`ceiling_kind`.
- :mod:`.network`: :func:`train_network`: ``f(x) = sum_i a_i sigma(<w_i, x> + b_i)`` trained by
  minibatch SGD or Adam over a fixed training set (``sigma`` = ReLU or the truncated ReLU
  ``min(1, max(z, 0))``; hinge or logistic loss).
- :mod:`.baselines`: on the same training set, :func:`fit_random_features` (the network's initial
  first layer, frozen, ridge readout), :func:`fit_kernel` (two-layer ReLU NTK, exact kernel ridge
  regression on a stated subsample cap), :func:`fit_linear` (ridge on the raw input, then the bias
  re-chosen to maximise training accuracy, which gives linear its best shot at its ceiling).
- :mod:`.ceilings`: exact routes: the linear-threshold ceiling by enumerating every LTF, the
  Daniely–Malach first-order signal and fixed-feature correlation on the whole cube (:func:`all_cube_points`).
- :mod:`.runs`: :func:`run_daniely_malach`, :func:`run_shi_wei_liang`: every method on the same
  training set, medians over seeds and their intervals (:func:`median_interval`); the training
  budgets of the claims (:func:`dm_budget`, :func:`swl_budget`, sizes ``reduced`` and ``full``) and
  the random-label negative control.

Reproducibility: every random draw comes from ``generator(seed, Purpose.STRUCTURED_*, ...)`` (the RNG
registry, :mod:`featurecheck.numerics._kernels.rng`). Training uses float32 numpy matmuls (BLAS). OpenBLAS splits a GEMM over output
blocks, not over the reduction, so for a fixed thread count and BLAS build the same seed gives
bit-identical weights and accuracies (tested); across machines or thread counts results may differ in
the last bits and, through training dynamics, slightly in accuracy.

Layer 3 (experiments). May import: :mod:`featurecheck.numerics.experiments`,
:mod:`featurecheck.numerics.estimators`, :mod:`featurecheck.numerics._kernels` and
:mod:`featurecheck.theory`.

References
----------
A. Daniely, E. Malach, "Learning Parities with Neural Networks", NeurIPS 2020.
Z. Shi, J. Wei, Y. Liang, ICLR 2022, arXiv 2206.01717 (problem setup; synthetic experiments).
A. Jacot, F. Gabriel, C. Hongler, "Neural Tangent Kernel", NeurIPS 2018; Y. Cho, L. Saul,
"Kernel methods for deep learning", NeurIPS 2009 (arc-cosine kernels).
"""

from __future__ import annotations

from featurecheck.numerics.experiments.structured.baselines import (
    fit_kernel,
    fit_linear,
    fit_random_features,
    relu_ntk,
)
from featurecheck.numerics.experiments.structured.ceilings import (
    all_cube_points,
    dm_embedding,
    dm_feature_correlation,
    dm_first_order_signal_exact,
    ltf_ceiling_enumeration,
    ltf_profiles_enumeration,
)
from featurecheck.numerics.experiments.structured.data import DanielyMalach, PatternModel, ceiling_kind, rng_for
from featurecheck.numerics.experiments.structured.network import (
    NetConfig,
    Network,
    accuracy,
    init_network,
    loss_and_grads,
    single_thread_blas,
    train_network,
)
from featurecheck.numerics.experiments.structured.runs import (
    METHODS,
    SIZES,
    ExperimentResult,
    alignment,
    dm_budget,
    dm_default_config,
    median_interval,
    run_daniely_malach,
    run_shi_wei_liang,
    swl_budget,
    swl_default_config,
)

__all__ = [
    "DanielyMalach",
    "PatternModel",
    "NetConfig",
    "Network",
    "train_network",
    "fit_random_features",
    "fit_kernel",
    "fit_linear",
    "accuracy",
    "relu_ntk",
    "ltf_ceiling_enumeration",
    "dm_feature_correlation",
    "rng_for",
    "loss_and_grads",
    "all_cube_points",
    "ceiling_kind",
    "ltf_profiles_enumeration",
    "dm_first_order_signal_exact",
    "dm_embedding",
    "single_thread_blas",
    "init_network",
    "median_interval",
    "alignment",
    "ExperimentResult",
    "METHODS",
    "SIZES",
    "dm_budget",
    "swl_budget",
    "dm_default_config",
    "swl_default_config",
    "run_daniely_malach",
    "run_shi_wei_liang",
]
