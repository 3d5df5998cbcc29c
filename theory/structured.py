"""Exact linear-threshold ceilings for the structured-input models (theory reference, section 4).

The linear baselines of the structured-input experiments are judged against the best accuracy that
*any* linear threshold can reach on each distribution, computed here exactly as Fractions.

Conventions
-----------
- Relevant set ``A``, ``|A| = k``. The statistic is ``m``: the number of coordinates of ``A`` with
  ``x_i = -1`` (Daniely–Malach, ``x`` in ``{-1,+1}^n``), or with ``phi_i = 1`` (Shi–Wei–Liang,
  ``phi`` in ``{0,1}^D``). Labels are ``±1`` and depend on ``m`` only.
- Uniform k-parity and Daniely–Malach: ``y = chi_A(x) = (-1)^m``.
- Daniely–Malach ``D_A`` (Daniely & Malach 2020, section 3): weight ``1 - q`` uniform, weight ``q``
  "easy" points whose coordinates in ``A`` share one common value: ``+1`` (``common="plus"``,
  so ``m = 0``) or a fair random sign (``common="random"``, ``m in {0, k}``).
- Shi–Wei–Liang pattern model (Shi, Wei & Liang 2022, section 3): ``y = +1`` iff
  ``m in P``; ``P`` = odd numbers (``labels="parity"``) or ``{m > k/2}`` (``labels="threshold"``).
  With structure, ``phi_A`` is uniform with weight ``mix`` (default 1/2) and all-ones / all-zeros
  with weight ``(1 - mix)/2`` each; without structure ``phi_A`` is uniform.
- A linear threshold is ``sign(<w, x> - theta)`` (any real ``w``, ``theta``, either tie rule). The
  coordinates outside ``A`` are independent of ``(x_A, y)``, so conditioning on them shows they
  cannot raise the ceiling: the ceiling is a property of ``(x_A, y)`` alone. Since ``phi -> x``
  is affine, the same holds for the standardised pattern input ``x = (M phi - E)/sigma``.

The ceiling returned is the best threshold of ``m`` (equivalently of ``sum_{i in A} x_i``), in
either orientation: ``max_t max(acc_t, 1 - acc_t)`` with ``acc_t = Pr[y = 1[m >= t] * 2 - 1]``.
Every distribution here is invariant under permutations of ``A``; that the best of *all* linear
thresholds is a symmetric one is checked by exhaustive enumeration of every threshold function of
``k <= 6`` variables (integer weights up to Muroga's maximal weight) in
``numerics.structured.ltf_ceiling_enumeration``; for ``k > 6`` the value is the symmetric ceiling,
a lower bound on the LTF ceiling that we have not proved equal.

References
----------
A. Daniely, E. Malach, "Learning Parities with Neural Networks", NeurIPS 2020, sections 3-4.
Z. Shi, J. Wei, Y. Liang, "A Theoretical Analysis on Feature Learning in Neural Networks: Emergence
from Inputs and Advantage over Fixed Features", ICLR 2022 (arXiv 2206.01717), section 3, Thm 2-3.
S. Muroga, *Threshold Logic and its Applications*, Wiley 1971 (maximal integer weights of threshold
functions: 1, 1, 2, 3, 5, 9 for n = 1..6).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from theory._exact import binomial
from theory._validate import check_int, check_real

__all__ = [
    "COMMON_VALUES",
    "LABEL_SETS",
    "label_of_count",
    "count_masses",
    "best_threshold_accuracy",
    "uniform_parity_ceiling",
    "daniely_malach_ceiling",
    "pattern_ceiling",
    "pattern_assumptions",
    "dm_fixed_feature_bound",
    "MUROGA_MAX_WEIGHT",
]

COMMON_VALUES = ("plus", "random")
LABEL_SETS = ("parity", "threshold")
MUROGA_MAX_WEIGHT = {1: 1, 2: 1, 3: 2, 4: 3, 5: 5, 6: 9}
MAX_K = 10_000


def _k(k: Any) -> int:
    return check_int("k", k, 1, MAX_K)


def _frac01(name: str, v: Any) -> Fraction:
    return Fraction(check_real(name, v, 0, 1, exact=True))


def label_of_count(m: int, k: int, labels: str = "dm") -> int:
    """The ``±1`` label as a function of the count ``m``.

    ``labels="dm"``: ``(-1)^m`` (the parity ``chi_A``); ``"parity"``: ``+1`` iff ``m`` odd
    (Shi–Wei–Liang ``P`` = odd numbers); ``"threshold"``: ``+1`` iff ``m > k/2``.

    Examples
    --------
    >>> [label_of_count(m, 3, "dm") for m in range(4)]
    [1, -1, 1, -1]
    >>> [label_of_count(m, 3, "threshold") for m in range(4)]
    [-1, -1, 1, 1]
    """
    if labels == "dm":
        return -1 if m % 2 else 1
    if labels == "parity":
        return 1 if m % 2 else -1
    if labels == "threshold":
        return 1 if 2 * m > k else -1
    raise ValueError(f"labels must be one of ['dm', 'parity', 'threshold'], got {labels!r}")


def count_masses(
    k: int,
    model: str = "uniform",
    *,
    q: Any = Fraction(1, 2),
    common: str = "plus",
    mix: Any = Fraction(1, 2),
) -> list[Fraction]:
    """Exact ``Pr[m]`` for ``m = 0..k`` under one of the models.

    Parameters
    ----------
    k : int
        ``|A|``, in ``[1, 10000]``.
    model : {"uniform", "daniely-malach", "pattern"}
        ``uniform``: ``C(k, m) / 2^k``. ``daniely-malach``: ``(1 - q)`` uniform plus ``q`` easy points
        (``m = 0`` for ``common="plus"``; ``m = 0`` or ``k`` with probability 1/2 each for
        ``"random"``). ``pattern``: ``mix`` uniform plus ``(1 - mix)/2`` at each of ``m = 0, k``.
    q, mix : rational in [0, 1]
    common : {"plus", "random"}

    Returns
    -------
    list of Fraction
        Sums to 1.

    Examples
    --------
    >>> count_masses(2)
    [Fraction(1, 4), Fraction(1, 2), Fraction(1, 4)]
    >>> count_masses(2, "daniely-malach", q=Fraction(1, 2))
    [Fraction(5, 8), Fraction(1, 4), Fraction(1, 8)]
    """
    k = _k(k)
    base = [Fraction(binomial(k, m), 1 << k) for m in range(k + 1)]
    if model == "uniform":
        return base
    if model == "daniely-malach":
        q = _frac01("q", q)
        if common not in COMMON_VALUES:
            raise ValueError(f"common must be one of {list(COMMON_VALUES)}, got {common!r}")
        out = [(1 - q) * b for b in base]
        if common == "plus":
            out[0] += q
        else:
            out[0] += q / 2
            out[k] += q / 2
        return out
    if model == "pattern":
        mix = _frac01("mix", mix)
        out = [mix * b for b in base]
        out[0] += (1 - mix) / 2
        out[k] += (1 - mix) / 2
        return out
    raise ValueError(f"model must be one of ['uniform', 'daniely-malach', 'pattern'], got {model!r}")


def best_threshold_accuracy(masses: Sequence[Any], labels: Sequence[int]) -> tuple[Fraction, int, int]:
    """Best accuracy of ``h(m) = s * (2 * 1[m >= t] - 1)`` over ``t in 0..k+1``, ``s = ±1``.

    Parameters
    ----------
    masses : sequence of rationals
        ``Pr[m]`` for ``m = 0..k``.
    labels : sequence of ±1
        The label at each ``m``.

    Returns
    -------
    (accuracy, t, s) : (Fraction, int, int)
        The best accuracy and one maximiser (smallest ``t``, then ``s = +1`` first).

    Examples
    --------
    >>> best_threshold_accuracy([Fraction(1, 2), Fraction(1, 2)], [-1, 1])
    (Fraction(1, 1), 1, 1)
    """
    ms = [Fraction(v) for v in masses]
    if len(ms) != len(labels) or not ms:
        raise ValueError(f"masses and labels must have the same positive length, got {len(ms)} and {len(labels)}")
    if any(v < 0 for v in ms):
        raise ValueError("masses must be non-negative")
    for lab in labels:
        if lab not in (-1, 1):
            raise ValueError(f"labels must be ±1, got {lab!r}")
    total = sum(ms)
    best: tuple[Fraction, int, int] | None = None
    for t in range(len(ms) + 1):
        acc = sum(v for m, v in enumerate(ms) if (labels[m] == 1) == (m >= t))
        for s, a in ((1, acc), (-1, total - acc)):
            if best is None or a > best[0]:
                best = (a, t, s)
    assert best is not None
    return best


def uniform_parity_ceiling(k: int) -> Fraction:
    """Best linear-threshold accuracy for ``chi_A`` under uniform ``x`` (``|A| = k``).

    Examples
    --------
    >>> [uniform_parity_ceiling(k) for k in (1, 2, 3, 4, 6)]
    [Fraction(1, 1), Fraction(3, 4), Fraction(3, 4), Fraction(11, 16), Fraction(21, 32)]
    """
    k = _k(k)
    return best_threshold_accuracy(count_masses(k), [label_of_count(m, k, "dm") for m in range(k + 1)])[0]


def daniely_malach_ceiling(k: int, q: Any = Fraction(1, 2), common: str = "plus",
                           component: str = "mixture") -> Fraction:
    """Best linear-threshold accuracy on the Daniely–Malach distribution ``D_A``.

    Parameters
    ----------
    k : int
    q : rational in [0, 1]
        Weight of the easy component (the paper's ``D_A`` has ``q = 1/2``).
    common : {"plus", "random"}
        The shared value of ``x_A`` on easy points.
    component : {"mixture", "uniform"}
        ``mixture``: the best threshold on ``D_A`` itself. ``uniform``: the accuracy, on the
        uniform component, of that same best mixture threshold (what a linear model fitted to
        ``D_A`` can reach there). Ties between maximisers are broken towards the higher
        uniform-component accuracy.

    Examples
    --------
    >>> daniely_malach_ceiling(6)
    Fraction(53, 64)
    >>> daniely_malach_ceiling(6, component="uniform")
    Fraction(21, 32)
    """
    k = _k(k)
    if component not in ("mixture", "uniform"):
        raise ValueError(f"component must be one of ['mixture', 'uniform'], got {component!r}")
    ms = count_masses(k, "daniely-malach", q=q, common=common)
    labs = [label_of_count(m, k, "dm") for m in range(k + 1)]
    best = best_threshold_accuracy(ms, labs)[0]
    if component == "mixture":
        return best
    uni = count_masses(k)
    out = Fraction(-1)
    for t in range(k + 2):
        for s in (1, -1):
            pred = [s * (1 if m >= t else -1) for m in range(k + 1)]
            if sum(v for m, v in enumerate(ms) if pred[m] == labs[m]) == best:
                out = max(out, sum(v for m, v in enumerate(uni) if pred[m] == labs[m]))
    return out


def pattern_ceiling(k: int, labels: str = "parity", structure: bool = True, mix: Any = Fraction(1, 2)) -> Fraction:
    """Best linear-threshold accuracy on the Shi–Wei–Liang pattern model.

    Examples
    --------
    >>> pattern_ceiling(5)
    Fraction(27, 32)
    >>> pattern_ceiling(5, structure=False)
    Fraction(11, 16)
    >>> pattern_ceiling(5, labels="threshold")
    Fraction(1, 1)
    """
    k = _k(k)
    ms = count_masses(k, "pattern", mix=mix) if structure else count_masses(k)
    return best_threshold_accuracy(ms, [label_of_count(m, k, labels) for m in range(k + 1)])[0]


def pattern_assumptions(k: int, labels: str = "parity", structure: bool = True,
                        mix: Any = Fraction(1, 2)) -> dict[str, Any]:
    """Exact check of Shi–Wei–Liang's assumptions on ``phi_A`` (section 3 of the paper).

    Returns ``{"pr_positive": Pr[y=+1], "balanced": bool, "gamma": E[y phi_i] - E[y] E[phi_i]
    (the same for every i in A by symmetry), "gamma_positive": bool}``. ``E[phi_i | m] = m/k``.

    Examples
    --------
    >>> r = pattern_assumptions(5)
    >>> r["pr_positive"], r["gamma"]
    (Fraction(1, 2), Fraction(1, 4))
    >>> pattern_assumptions(4)["balanced"]
    False
    """
    k = _k(k)
    ms = count_masses(k, "pattern", mix=mix) if structure else count_masses(k)
    ys = [label_of_count(m, k, labels) for m in range(k + 1)]
    pr_pos = sum(v for v, y in zip(ms, ys) if y == 1)
    ey = 2 * pr_pos - 1
    ephi = sum(v * Fraction(m, k) for m, v in enumerate(ms))
    eyphi = sum(v * y * Fraction(m, k) for m, (v, y) in enumerate(zip(ms, ys)))
    gamma = eyphi - ey * ephi
    return {"pr_positive": pr_pos, "balanced": pr_pos == Fraction(1, 2), "gamma": gamma,
            "gamma_positive": gamma > 0}


def dm_fixed_feature_bound(n: int, k: int, N: int, B: Any = 1) -> Fraction:
    """Daniely–Malach lower-bound side: ``B^2 N / C(n, k)``.

    For any embedding ``Psi: X -> [-1, 1]^N`` and ``|A| = k``,
    ``avg_A max_{||w|| <= B} (E_unif[<w, Psi(x)> chi_A(x)])^2 = B^2 avg_A ||E[Psi chi_A]||^2
    <= B^2 N / C(n, k)``, by Parseval on each coordinate of ``Psi`` (``sum_A hat Psi_j(A)^2 <=
    E[Psi_j^2] <= 1``). Equality holds for ``Psi`` = N distinct k-parities.

    Examples
    --------
    >>> dm_fixed_feature_bound(30, 6, 512)
    Fraction(512, 593775)
    """
    n = check_int("n", n, 1, 10**6)
    k = check_int("k", k, 0, n)
    N = check_int("N", N, 1, 10**12)
    B = Fraction(check_real("B", B, 0, None, exact=True))
    return B * B * N / binomial(n, k)
