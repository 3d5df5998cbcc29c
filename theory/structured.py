"""Exact linear-threshold ceilings for the structured-input models (theory reference, section 4).

The linear baselines of the structured-input experiments are judged against the best accuracy that
*any* linear threshold can reach on each distribution, computed here exactly as Fractions.

Conventions
-----------
- Relevant set ``A``, ``|A| = k``. The statistic is ``m``: the number of coordinates of ``A`` with
  ``x_i = -1`` (Daniely–Malach, ``x`` in ``{-1,+1}^n``), or with ``phi_i = 1`` (Shi–Wei–Liang,
  ``phi`` in ``{0,1}^D``). Labels are ``±1`` and depend on ``m`` only.
- Uniform k-parity and Daniely–Malach: ``y = chi_A(x) = (-1)^m``.
- Daniely–Malach ``D_A`` (Daniely & Malach 2020): weight ``1 - q`` uniform, weight ``q``
  "easy" points whose coordinates in ``A`` share one common value: ``+1`` (``common="plus"``,
  so ``m = 0``) or a fair random sign (``common="random"``, ``m in {0, k}``).
- Shi–Wei–Liang pattern model (Shi, Wei & Liang 2022, problem setup): ``y = +1`` iff
  ``m in P``; ``P`` = odd numbers (``labels="parity"``) or ``{m > k/2}`` (``labels="threshold"``).
  With structure, ``phi_A`` is uniform with weight ``mix`` (default 1/2) and all-ones / all-zeros
  with weight ``(1 - mix)/2`` each; without structure ``phi_A`` is uniform.
- A linear threshold is ``sign(<w, x> - theta)`` (any real ``w``, ``theta``, either tie rule). The
  coordinates outside ``A`` are independent of ``(x_A, y)``, so conditioning on them shows they
  cannot raise the ceiling: the ceiling is a property of ``(x_A, y)`` alone. Since ``phi -> x``
  is affine, the same holds for the standardised pattern input ``x = (M phi - E)/sigma``.

Two ceilings are computed exactly:

- ``kind="ltf"``: the best accuracy over *all* linear thresholds of ``x_A`` (the true ceiling), for
  ``k <= 6``. Under a permutation-symmetric distribution the accuracy of ``f`` depends only on its
  *level profile* ``N_m(f) = #{x : m(x) = m, f(x) = +1}``, and is linear in it, so the maximum over
  LTFs is a maximum over the convex-hull vertices of the set of LTF profiles. That vertex set is
  tabulated below (``_LTF_PROFILE_VERTICES``); it was derived by exhaustive enumeration of every
  threshold function of ``k <= 6`` variables (integer weights up to Muroga's maximal weights
  1, 1, 2, 3, 5, 9, every cut between consecutive values of ``<w, x>``) followed by a convex hull,
  and ``featurecheck.numerics.experiments.structured.ltf_profiles_enumeration`` recomputes it (tests: ``k <= 5`` by default,
  ``k = 6`` under ``-m slow``).
- ``kind="sum"``: the best threshold of ``m`` (equivalently of ``sum_{i in A} x_i``) in either
  orientation, ``max_t max(acc_t, 1 - acc_t)``, for any ``k``. It is a lower bound on the LTF
  ceiling and is *not* always equal to it: for ``k = 3`` on ``D_A`` (q = 1/2, common value +1) the
  symmetric best is 13/16 while ``sign(-3 x_1 + x_2 + 3 x_3 + 1/2)`` reaches 7/8; with a random
  common sign the two differ for every even ``k <= 6``. For the experiment sizes (uniform
  k-parity, ``D_A`` with common value +1 at ``k = 5, 6``, the pattern model at ``k = 5``) they agree.

References
----------
A. Daniely, E. Malach, "Learning Parities with Neural Networks", NeurIPS 2020 (arXiv 2002.07400).
Z. Shi, J. Wei, Y. Liang, "A Theoretical Analysis on Feature Learning in Neural Networks: Emergence
from Inputs and Advantage over Fixed Features", ICLR 2022 (arXiv 2206.01717), problem setup and Thm 2-3.
S. Muroga, *Threshold Logic and its Applications*, Wiley 1971 (maximal integer weights of threshold
functions: 1, 1, 2, 3, 5, 9 for n = 1..6).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from featurecheck.theory._exact import binomial
from featurecheck.theory._validate import check_int, check_real

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
    "CEILING_KINDS",
    "LTF_MAX_K",
    "ltf_profiles",
    "ltf_ceiling",
    "linear_ceiling",
]

COMMON_VALUES = ("plus", "random")
LABEL_SETS = ("parity", "threshold")
MUROGA_MAX_WEIGHT = {1: 1, 2: 1, 3: 2, 4: 3, 5: 5, 6: 9}
MAX_K = 10_000
CEILING_KINDS = ("ltf", "sum")
LTF_MAX_K = 6

# Convex-hull vertices of the level profiles (N_0, ..., N_k) of all threshold functions of k
# variables, one base-36 digit per N_m (derived table; see the module docstring).
_LTF_PROFILE_VERTICES = {
    1: (
        "00 01 10 11 "
    ),
    2: (
        "000 001 010 021 100 111 120 121 "
    ),
    3: (
        "0000 0001 0010 0031 0100 0120 0210 0211 0331 1000 1120 1121 1211 1231 1300 1321 1330 1331 "
    ),
    4: (
        "00000 00001 00010 00041 00100 00120 00310 00311 00641 01000 01300 01330 02100 02120 02121 02521 "
        "03310 03311 03341 04641 10000 11300 11330 11331 12120 12520 12521 12541 13311 13341 13641 14000 "
        "14330 14331 14521 14541 14600 14631 14640 14641 "
    ),
    5: (
        "000000 000001 000010 000051 000100 000120 000410 000411 000a51 001000 001300 001330 003100 "
        "003120 003121 003420 003721 006410 006411 006451 00aa51 010000 011330 014000 014330 014600 "
        "014640 021000 021300 021320 021330 021331 023120 024300 025330 027330 027331 027931 033100 "
        "033120 033220 033421 033720 033721 033751 036721 039751 046410 046411 046451 046a51 05aa51 "
        "100000 114000 114600 114640 114641 121300 124330 127300 127330 127331 127630 127931 127951 "
        "133120 133720 133721 136721 136751 137721 139720 139721 139751 139a51 146411 146451 146a51 "
        "14aa51 150000 154600 154640 154641 157330 157631 157930 157931 157951 159721 159751 159a51 "
        "15a000 15a640 15a641 15a931 15a951 15aa00 15aa41 15aa50 15aa51 "
    ),
    6: (
        "0000000 0000001 0000010 0000061 0000100 0000120 0000510 0000511 0000f61 0001000 0001300 0001330 "
        "0001411 0002511 0003120 0003210 0003511 0004100 0004110 0004120 0004121 0004210 0004220 0004510 "
        "0004520 0004921 0005511 0007510 0008521 000a510 000a511 000a521 000a531 000a561 000kf61 0010000 "
        "0012330 0014000 0014110 0014120 0014600 0014610 0014630 0014640 0019521 0021310 0024630 0024921 "
        "0027330 0028511 002a521 002a661 0031000 0031210 0031300 0031310 0031330 0031331 0033120 0033220 "
        "0033721 0034100 0034630 0035330 0036330 0037210 0037530 0037630 0038430 003a330 003a331 003ac31 "
        "0049521 0054120 0054420 005a561 0064100 0064110 0064120 0064521 0064920 0064921 0064941 0064961 "
        "0067821 006a511 006a520 006a521 006a551 006a661 006a921 006g961 008a551 008a661 00aa510 00aa511 "
        "00aa521 00aa541 00aa561 00aa661 00aa861 00aaf61 00fkf61 0100000 0110000 0114000 0121300 0127330 "
        "0136300 013a330 0143000 0148330 014a511 0150000 0154120 0154600 015a000 015a640 015aa00 015aa20 "
        "015aa30 015aa50 0167330 0169930 016g961 019a661 01aa541 01aa761 0210000 0211000 0214000 0214500 "
        "0214600 0214640 0214641 0221000 0222000 0224000 0224641 0231000 0231300 0232300 0234330 0234631 "
        "0235330 0237300 023ac31 0242100 0244640 0245100 0254000 0254120 0254600 0258640 0259521 025a600 "
        "025a640 025a840 025aa40 0264120 0265600 0275500 0279511 027a511 028a640 028a761 0294600 0294610 "
        "0294620 0294640 0294641 0296640 0297640 0298640 0299630 029a511 029a630 029a640 029f641 029g641 "
        "029g741 029ga41 029ge41 02aa511 02aa521 02aa561 0331000 0331200 0331300 0332100 0334300 0334320 "
        "0337200 0337210 0337330 0337610 0337630 0337631 033a300 033a310 033a320 033a330 033a331 033a531 "
        "033a630 033a631 033ac31 033ac41 033ac61 0343100 0349330 034a330 034aa31 034ac31 035a330 035ac31 "
        "0364120 0364921 0367300 0367330 0368330 036a330 036e941 036g961 038a521 0397631 039a641 039d631 "
        "039dc31 03aa510 03aa561 03aaa41 03abf61 03cac31 03cac51 03cac61 03cdc51 03cjc61 0464100 0464110 "
        "0464120 0464420 0464920 0464921 0465320 0468821 0469510 0469520 046a510 046a520 046a521 046a620 "
        "046a621 046a820 046a920 046a941 046a961 046c961 046e961 046f921 046f961 046g921 046g931 046g941 "
        "046g961 046ga61 046gf61 047g951 047g961 047ge61 048a731 048b731 048hc61 049b731 049d931 04aa520 "
        "04aa521 04aa661 04aa731 04aa921 04aaf61 04aba41 04aba61 04abf61 04ag961 04egf61 05aa510 05aa511 "
        "05aa521 05aa531 05aa541 05aa561 05aa631 05aa741 05aa751 05aa761 05aae61 05aaf61 05ab841 05abb61 "
        "05abf61 05aca51 05acf61 05adb61 05aeb61 05aed61 05age61 05ahe61 05ajf61 05akf61 05bkf61 06fkf61 "
        "1000000 1150000 115a000 115aa00 115aa50 115aa51 1214000 1254600 125a000 125a640 125aa41 1284000 "
        "1284500 128a741 128aa51 128c741 128d741 1294000 1294600 1294620 1294630 1294640 1296640 1298600 "
        "129a600 129a641 129a741 129aa40 129aa41 129aa51 129ba41 129c641 129d740 129ea51 129fa51 129g640 "
        "129g641 129g741 129g841 129ga51 129gc51 129gd41 129gd51 129ge41 129ge61 1331300 1338300 1339300 "
        "133a300 133a310 133a330 1359330 1367330 1369330 136aa41 136c951 136d931 136d941 136d951 139a330 "
        "139a631 139a641 139ac31 139ac41 139bc31 139d631 139d641 139dc31 139dc61 139e641 139f640 139g641 "
        "13ba300 13ba330 13bcc31 13ca300 13ca310 13ca320 13ca330 13ca730 13ca931 13cac30 13cac31 13cac41 "
        "13cac51 13cac61 13cbc31 13cbc61 13ccc61 13cd930 13cd931 13cd951 13cdc31 13cdc61 13cdd61 13cfd61 "
        "13cgc41 13cgc61 13cjc61 13cje61 13cjf61 1464120 1464220 1464920 146a921 146a931 146c921 146e921 "
        "146e941 146g920 146g921 146g951 146g961 147a821 147b821 147b921 148ac51 149a921 149g641 149g921 "
        "149ge41 149ge61 14aa521 14aa921 14aa961 14ag961 14agf61 14bg961 14cac30 14cgc31 14eg920 14eg921 "
        "14eg961 14egd61 14egf61 14ehf61 14ekf61 158d840 1594600 159b640 159dc31 159g840 159ge41 159ge61 "
        "15aa511 15aa561 15aa921 15aab61 15aaf61 15aff61 15ag840 15ag961 15akf61 15bd921 15bg961 15cac30 "
        "15cbc30 15ddc61 15dg961 15dgc31 15djc61 15eg921 15eg961 15egf61 15fkf61 1600000 165a000 165aa00 "
        "165aa20 165aa50 165aa51 166aa20 167a920 1694500 1694600 1695600 169a640 169aa41 169aa51 169f620 "
        "169f940 169g600 169g610 169g620 169g640 169g641 169g840 169g941 169ga40 169ga51 169gd41 169gd51 "
        "169ge41 169ge51 169ge61 16ad740 16ag620 16ag630 16age41 16age61 16baa51 16bge61 16ca330 16cab30 "
        "16cac30 16cac31 16cd931 16cdc30 16cg640 16cgc61 16cjc30 16cjc31 16cjc41 16cjc61 16cjf61 16dda50 "
        "16ddc31 16dg640 16djc61 16eg921 16eg941 16eg961 16egb61 16ege61 16egf61 16ehe41 16eic31 16ekf61 "
        "16f0000 16faa00 16faa20 16faa50 16faa51 16fg640 16fg740 16fga41 16fgc41 16fge40 16fge41 16fge51 "
        "16fge61 16fha51 16fhc41 16fie61 16fja51 16fjc31 16fjc61 16fjd61 16fjf61 16fk000 16fka50 16fka51 "
        "16fkb51 16fke41 16fke51 16fke61 16fkf00 16fkf51 16fkf60 16fkf61 "
    ),
}


def _k(k: Any) -> int:
    return check_int("k", k, 1, MAX_K)


def _frac01(name: str, v: Any) -> Fraction:
    return Fraction(check_real(name, v, 0, 1, exact=True))


def label_of_count(m: int, k: int, labels: str = "dm") -> int:
    """Return the ``±1`` label as a function of the count ``m``.

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
    total = Fraction(sum(ms))
    best: tuple[Fraction, int, int] | None = None
    for t in range(len(ms) + 1):
        acc = Fraction(sum(v for m, v in enumerate(ms) if (labels[m] == 1) == (m >= t)))
        for s, a in ((1, acc), (-1, total - acc)):
            if best is None or a > best[0]:
                best = (a, t, s)
    assert best is not None
    return best


def ltf_profiles(k: int) -> list[tuple[int, ...]]:
    """Convex-hull vertices of the LTF level profiles for ``k`` variables (``1 <= k <= 6``).

    Examples
    --------
    >>> ltf_profiles(1)
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    >>> len(ltf_profiles(6))
    572
    """
    k = check_int("k", k, 1, LTF_MAX_K)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return [tuple(digits.index(c) for c in w) for w in "".join(_LTF_PROFILE_VERTICES[k]).split()]


def _profile_acc(prof: Sequence[int], per_point: Sequence[Fraction], labels: Sequence[int], k: int) -> Fraction:
    return Fraction(sum((per_point[m] * prof[m] if labels[m] == 1 else per_point[m] * (binomial(k, m) - prof[m]))
                        for m in range(k + 1)))


def ltf_ceiling(masses: Sequence[Any], labels: Sequence[int]) -> Fraction:
    """Return the best accuracy of *any* linear threshold of ``k <= 6`` ±1 variables with a symmetric law.

    The distribution of the variables is permutation-symmetric, with ``Pr[m] = masses[m]`` and label
    ``labels[m]``.

    Examples
    --------
    >>> ltf_ceiling(count_masses(3, "daniely-malach"), [1, -1, 1, -1])
    Fraction(7, 8)
    >>> best_threshold_accuracy(count_masses(3, "daniely-malach"), [1, -1, 1, -1])[0]
    Fraction(13, 16)
    """
    ms = [Fraction(v) for v in masses]
    k = len(ms) - 1
    check_int("k", k, 1, LTF_MAX_K)
    if len(labels) != k + 1 or any(lab not in (-1, 1) for lab in labels):
        raise ValueError(f"labels must be k+1 = {k + 1} values in {{-1, +1}}, got {list(labels)!r}")
    per_point = [ms[m] / binomial(k, m) for m in range(k + 1)]
    return max(_profile_acc(p, per_point, labels, k) for p in ltf_profiles(k))


def linear_ceiling(masses: Sequence[Any], labels: Sequence[int], kind: str = "ltf") -> Fraction:
    """Return ``ltf_ceiling`` (``kind="ltf"``, ``k <= 6``) or the threshold-of-the-sum value (``kind="sum"``).

    ``kind="sum"`` allows any ``k`` and gives a lower bound on the former.

    Examples
    --------
    >>> linear_ceiling(count_masses(2), [1, -1, 1]), linear_ceiling(count_masses(2), [1, -1, 1], "sum")
    (Fraction(3, 4), Fraction(3, 4))
    """
    if kind == "ltf":
        k = len(masses) - 1
        if k > LTF_MAX_K:
            raise ValueError(f"k must be in [1, {LTF_MAX_K}] for the exact LTF ceiling (kind='ltf'), got k={k}; "
                             "use kind='sum' for the threshold-of-the-sum lower bound")
        return ltf_ceiling(masses, labels)
    if kind == "sum":
        return best_threshold_accuracy(masses, labels)[0]
    raise ValueError(f"kind must be one of {list(CEILING_KINDS)}, got {kind!r}")


def uniform_parity_ceiling(k: int, kind: str = "ltf") -> Fraction:
    """Best linear-threshold accuracy for ``chi_A`` under uniform ``x`` (``|A| = k``).

    Examples
    --------
    >>> [uniform_parity_ceiling(k) for k in (1, 2, 3, 4, 6)]
    [Fraction(1, 1), Fraction(3, 4), Fraction(3, 4), Fraction(11, 16), Fraction(21, 32)]
    """
    k = _k(k)
    return linear_ceiling(count_masses(k), [label_of_count(m, k, "dm") for m in range(k + 1)], kind)


def daniely_malach_ceiling(k: int, q: Any = Fraction(1, 2), common: str = "plus",
                           component: str = "mixture", kind: str = "ltf") -> Fraction:
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
    best = linear_ceiling(ms, labs, kind)
    if component == "mixture":
        return best
    uni = count_masses(k)
    out = Fraction(-1)
    if kind == "ltf":
        pp = [v / binomial(k, m) for m, v in enumerate(ms)]
        pu = [v / binomial(k, m) for m, v in enumerate(uni)]
        for prof in ltf_profiles(k):
            if _profile_acc(prof, pp, labs, k) == best:
                out = max(out, _profile_acc(prof, pu, labs, k))
        return out
    for t in range(k + 2):
        for s in (1, -1):
            pred = [s * (1 if m >= t else -1) for m in range(k + 1)]
            if sum(v for m, v in enumerate(ms) if pred[m] == labs[m]) == best:
                out = max(out, Fraction(sum(v for m, v in enumerate(uni) if pred[m] == labs[m])))
    return out


def pattern_ceiling(k: int, labels: str = "parity", structure: bool = True, mix: Any = Fraction(1, 2),
                    kind: str = "ltf") -> Fraction:
    """Best linear-threshold accuracy on the Shi–Wei–Liang pattern model.

    Examples
    --------
    >>> pattern_ceiling(5)
    Fraction(27, 32)
    >>> pattern_ceiling(3), pattern_ceiling(3, kind="sum")
    (Fraction(7, 8), Fraction(13, 16))
    >>> pattern_ceiling(5, structure=False)
    Fraction(11, 16)
    >>> pattern_ceiling(5, labels="threshold")
    Fraction(1, 1)
    """
    k = _k(k)
    ms = count_masses(k, "pattern", mix=mix) if structure else count_masses(k)
    return linear_ceiling(ms, [label_of_count(m, k, labels) for m in range(k + 1)], kind)


def pattern_assumptions(k: int, labels: str = "parity", structure: bool = True,
                        mix: Any = Fraction(1, 2)) -> dict[str, Any]:
    """Exact check of Shi–Wei–Liang's assumptions on ``phi_A`` (the paper's problem setup).

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
    pr_pos = sum(v for v, y in zip(ms, ys, strict=True) if y == 1)
    ey = 2 * pr_pos - 1
    ephi = sum(v * Fraction(m, k) for m, v in enumerate(ms))
    eyphi = sum(v * y * Fraction(m, k) for m, (v, y) in enumerate(zip(ms, ys, strict=True)))
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
