"""Example user claims, as a researcher would write them in their own package.

Two right claims and one deliberately wrong one (a missing factor of 2). featurecheck's tests use this
module to check the user-claim workflow end to end: ``featurecheck verify fc_example_claims:...``,
``featurecheck verify --module fc_example_claims``, the ``featurecheck.claims`` entry-point group
(``RIGHT`` is what the test distribution advertises), and the pytest plugin.
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

from featurecheck.numerics.estimators.cube import majority
from featurecheck.numerics.testing.user import claim, cube_points
from featurecheck.theory.claims import Param

MU, K = sp.symbols("mu k")


def _k_le_n(p):
    return None if p["k"] <= p["n"] else f"k must be in [0, n={p['n']}], got k={p['k']}"


def _biased_parity_draws(samples, seed, n, k, mu):
    # chi_S(x) for S = {0..k-1} under the mu-biased product measure; only the first k coordinates matter
    x = cube_points(max(k, 1), samples, seed, mean=mu)
    return x[:, :k].prod(axis=1)


# Right: an exact sympy expression against a plain numpy estimator over cube_points.
biased_parity_mean = claim(
    id="example.biased_parity_mean",
    statement=r"$E_\mu[\chi_S(x)] = \mu^{|S|}$ under the $\mu$-biased product measure on $\{-1,1\}^n$",
    source="O'Donnell, Analysis of Boolean Functions (2014), Sec. 8.4 (E[x_i] = mu, independent coordinates)",
    params=(Param("n", "int", low=1, high=4096, default=8, typical=(1, 16), doc="number of variables"),
            Param("k", "int", low=0, high=4096, default=3, typical=(0, 4), doc="|S|, S = {0..k-1}"),
            Param("mu", "real", low=-1, high=1, default="1/2", typical=(-1, 1), doc="E[x_i]")),
    value=MU**K,
    estimator=_biased_parity_draws,
    value_range=(-1, 1),
    constraints=(_k_le_n,),
    examples=({"n": 8, "k": 3, "mu": "1/2"}, {"n": 4, "k": 0, "mu": "-1/3"}),
    status="theorem",
    tags=("example", "biased"),
)


def _level1_build(p):
    return majority(p["n"]), [0]


_N = Param("n", "odd", low=1, high=4095, default=9, typical=(1, 201), doc="number of variables (odd)")


# Right: a Python exact side against enumeration (n <= 30) and the numba Monte Carlo kernels.
@claim(id="example.majority_level1", source="O'Donnell (2014), Thm 5.19 at |S| = 1 (also Example 2.22)",
       params=(_N,), cube=_level1_build, examples=({"n": 9}, {"n": 101}), status="theorem",
       tags=("example", "majority"))
def majority_level1(n):
    r"""$\hat{\mathrm{Maj}}_n(\{i\}) = \binom{n-1}{(n-1)/2} 2^{1-n}$"""  # noqa: D400 - the claim's statement
    return Fraction(math.comb(n - 1, (n - 1) // 2), 2 ** (n - 1))


# Wrong on purpose: 2^{-n} instead of 2^{1-n} (a missing factor of 2).
@claim(id="example.majority_level1_wrong", source="a derivation that dropped a factor of 2",
       params=(_N,), cube=_level1_build, examples=({"n": 9}, {"n": 101}), tags=("example", "majority"))
def majority_level1_wrong(n):
    r"""$\hat{\mathrm{Maj}}_n(\{i\}) = \binom{n-1}{(n-1)/2} 2^{-n}$ (wrong)"""  # noqa: D400 - the claim's statement
    return Fraction(math.comb(n - 1, (n - 1) // 2), 2**n)


RIGHT = (biased_parity_mean, majority_level1)
