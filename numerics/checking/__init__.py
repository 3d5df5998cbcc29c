"""Layer 4, checking: how a claim is judged.

Routes from cube functions (:mod:`.routes`), the false-alarm budgets (:mod:`.budget`), the sequential Monte
Carlo test (:mod:`.sequential`), the engine behind ``featurecheck verify`` (:mod:`.engine`), and deterministic
seeds and replay commands (:mod:`.replay`).

May import: :mod:`featurecheck.numerics.experiments`, :mod:`featurecheck.numerics.estimators`,
:mod:`featurecheck.numerics._kernels`, :mod:`featurecheck.theory`, and this folder.
"""
