"""featurecheck numerics: numba kernels, estimators, the checking engine and the CLI."""
