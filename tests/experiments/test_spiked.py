"""Spiked covariance model (numerics/experiments/spiked.py).

Statistical budget: two exact chi-square interval checks at alpha = 1e-6 (variance along mu and along
a direction orthogonal to mu), false-alarm rate 2e-6. The learning checks are deterministic (fixed
seeds) with wide margins (observed errors 0.1 against 1.0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from featurecheck.numerics.experiments import spiked as Sp

ALPHA = 1e-6


def _chi2_contains(sample: np.ndarray, var: float) -> bool:
    n = sample.size
    q = float(np.sum(sample**2)) / var  # mean-zero normal: sum x^2 / var ~ chi2_n
    return stats.chi2.ppf(ALPHA / 2, n) <= q <= stats.chi2.ppf(1 - ALPHA / 2, n)


def test_covariance_along_and_across_spike() -> None:
    m = Sp.SpikedModel(d=50, beta=0.7, seed=3)
    X, y = m.sample(20000, split=5)
    mu = m.mu
    assert abs(np.linalg.norm(mu) - 1) < 1e-12
    assert _chi2_contains(X @ mu, 1 + m.theta)
    assert not _chi2_contains(X @ mu, 1.1 * (1 + m.theta))  # negative control
    v = np.random.default_rng(0).standard_normal(50)
    v -= (v @ mu) * mu
    v /= np.linalg.norm(v)
    assert _chi2_contains(X @ v, 1.0)
    assert np.allclose(y, Sp.default_link(X @ mu / math.sqrt(1 + m.theta)))


def test_default_link_hermite() -> None:
    from featurecheck.theory.hermite import information_exponent

    z = np.linspace(-3, 3, 7)
    expr = "(z**2 - 1)/sqrt(2) + (z**3 - 3*z)/sqrt(6)"
    ref = ((z**2 - 1) / math.sqrt(2) + (z**3 - 3 * z) / math.sqrt(6)) / math.sqrt(2)
    assert np.allclose(Sp.default_link(z), ref)
    assert information_exponent("z**2 - 1 + z**3 - 3*z") == 2 and expr


def test_kernel_improves_with_spike_and_network_learns() -> None:
    lo = Sp.SpikedModel(d=48, beta=0.0, seed=0)
    hi = Sp.SpikedModel(d=48, beta=1.0, seed=0)
    k_lo, k_hi = Sp.run_kernel(lo, 384), Sp.run_kernel(hi, 384)
    assert k_hi < 0.5 < k_lo
    assert Sp.run_network(hi, 384, m=64) < 0.5
    assert Sp.run_kernel(hi, 384) == k_hi  # reproducible


def test_validation() -> None:
    with pytest.raises(ValueError, match="beta"):
        Sp.SpikedModel(d=10, beta=3)
    with pytest.raises(ValueError, match="d must"):
        Sp.SpikedModel(d=1, beta=0.5)
