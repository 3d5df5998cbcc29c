"""Layer 1, kernels: the numba policy, the counter-based RNG streams and every ``@jit`` kernel.

The one numba policy (:mod:`.jit`), the counter-based RNG streams and their registry of purposes
(:mod:`.rng`), and every ``@jit`` kernel, one module per subject. Kernels write into ``out`` arrays
and validate nothing; call them through :mod:`featurecheck.numerics.estimators` or
:mod:`featurecheck.numerics.experiments`.

May import: numpy, numba and the other modules of this folder. Nothing else of featurecheck.
"""
