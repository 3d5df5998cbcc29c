"""Eager argument validation shared by theory/ and numerics/.

Every public entry point validates its arguments here *before* any kernel runs, and the error
names the parameter, the value received and the allowed range (STYLE.md, example 11).
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any, SupportsInt, cast

__all__ = ["check_int", "check_real", "check_odd", "check_probability", "check_subset"]


def _fmt_range(low: Any, high: Any) -> str:
    lo = "-inf" if low is None else str(low)
    hi = "inf" if high is None else str(high)
    return f"[{lo}, {hi}]"


def check_int(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as a Python int, or raise a ValueError naming ``name`` and the range.

    Examples
    --------
    >>> check_int("n", 5, 1, 10)
    5
    >>> check_int("n", 0, 1, 10)
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer in [1, 10], got 0
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer in {_fmt_range(low, high)}, got {value!r}")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValueError(
                f"{name} must be an integer in {_fmt_range(low, high)}, got {value!r}"
            ) from None
    if isinstance(value, numbers.Integral):
        v = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        v = int(cast(SupportsInt, value))  # numbers.Real has no __int__ in the stubs
    else:
        raise ValueError(f"{name} must be an integer in {_fmt_range(low, high)}, got {value!r}")
    if (low is not None and v < low) or (high is not None and v > high):
        raise ValueError(f"{name} must be an integer in {_fmt_range(low, high)}, got {v}")
    return v


def check_odd(name: str, value: Any, low: int | None = 1, high: int | None = None) -> int:
    """Return ``value`` as an odd Python int, or raise a ValueError.

    Examples
    --------
    >>> check_odd("n", 7)
    7
    """
    v = check_int(name, value, low, high)
    if v % 2 == 0:
        raise ValueError(
            f"{name} must be an odd integer in {_fmt_range(low, high)}, got {v} "
            "(majority is defined for odd n only; pass an explicit tie rule via a threshold)"
        )
    return v


def check_real(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    exact: bool = False,
) -> float | Fraction:
    """Return ``value`` as a float (or a Fraction if ``exact``), checking finiteness and range.

    Strings such as ``"3/2"`` or ``"0.5"`` are accepted. With ``exact=True`` the result is an exact
    Fraction (floats convert exactly, binary value).

    Examples
    --------
    >>> check_real("theta", "3/2", exact=True)
    Fraction(3, 2)
    """
    rng = _fmt_range(low, high)
    try:
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, str):
            fv: Fraction | float = Fraction(value.strip())
        elif isinstance(value, (numbers.Rational, float, int)):
            if isinstance(value, float) and not math.isfinite(value):
                raise TypeError
            fv = Fraction(value) if exact else float(value)
        elif isinstance(value, numbers.Real):
            fv = Fraction(float(value)) if exact else float(value)
        else:
            raise TypeError
    except (TypeError, ValueError, ZeroDivisionError):
        raise ValueError(f"{name} must be a finite real number in {rng}, got {value!r}") from None
    fv = Fraction(fv) if exact else float(fv)
    if not math.isfinite(float(fv)):
        raise ValueError(f"{name} must be a finite real number in {rng}, got {value!r}")
    if (low is not None and fv < low) or (high is not None and fv > high):
        raise ValueError(f"{name} must be a finite real number in {rng}, got {value!r}")
    return fv


def check_probability(name: str, value: Any, *, open_low: bool = True) -> float:
    """Return ``value`` as a float in (0, 1) (or [0, 1) when ``open_low`` is False).

    Examples
    --------
    >>> check_probability("alpha", 0.01)
    0.01
    """
    v = float(check_real(name, value, 0.0, 1.0))
    if v >= 1.0 or (open_low and v <= 0.0):
        lo = "(0" if open_low else "[0"
        raise ValueError(f"{name} must be a probability in {lo}, 1), got {value!r}")
    return v


def check_subset(name: str, value: Any, n: int) -> tuple[int, ...]:
    """Return a sorted tuple of distinct coordinates in ``[0, n-1]`` (0-based).

    Accepts an iterable of ints or an int bit mask (bit i = coordinate i).

    Examples
    --------
    >>> check_subset("S", [2, 0], 4)
    (0, 2)
    >>> check_subset("S", 0b101, 4)
    (0, 2)
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        mask = int(value)
        if mask < 0 or mask >> n:
            raise ValueError(f"{name} as a bit mask must be in [0, 2^{n} - 1], got {mask}")
        return tuple(i for i, bit in enumerate(reversed(bin(mask)[2:])) if bit == "1")  # linear in n
    try:
        items = [check_int(f"{name} element", v, 0, n - 1) for v in value]
    except TypeError:
        raise ValueError(f"{name} must be a set of coordinates in [0, {n - 1}], got {value!r}") from None
    if len(set(items)) != len(items):
        raise ValueError(f"{name} must have distinct coordinates, got {value!r}")
    return tuple(sorted(items))
