r"""Arbitrary Boolean functions on ``{-1,1}^n``: exact Fourier analysis through the integer Walsh transform.

A :class:`BooleanFunction` is a truth table of integers (``±1`` for a Boolean function; 0/1 or any
integers are allowed), built from a bit string, a hex number, an array, an expression in
``x0..x{n-1}``, integer weights and a threshold, or a Python callable. Every quantity is exact
(Python ints and Fractions): the integer spectrum comes from the exact Walsh transform of
:func:`featurecheck.numerics.estimators.walsh.fwht` (int32/int64 with an overflow guard).

Conventions (those of :mod:`featurecheck.theory.boolean`; state them when you compare with other tools)
-------------------------------------------------------------------------------------------------------
- **Bit order.** Index ``x`` of the truth table is the point with ``x_i = -1`` iff bit ``i`` of ``x``
  is set (LSB = coordinate 0), i.e. ``x_i = (-1)^{bit i}``. A set ``S`` is the mask ``sum_{i in S} 2^i``.
- **Boolean encoding.** A bit ``b`` (truth table character, hex bit, value of an expression) is the
  value ``(-1)^b``: 0 = False -> +1, 1 = True -> -1 (O'Donnell 2014, sec. 1.1). With ``pm=False`` the
  value is the bit itself. In expressions, ``xi`` is the bit ``i`` of the index (True iff ``x_i = -1``).
  So ``from_bits("0001")`` is ``AND(x0, x1)``, ``-1`` only at ``x = (-1, -1)``.
- **Bit strings and hex.** ``from_bits``: character ``x`` of the string is the bit at index ``x``
  (the first character is the point ``(1, ..., 1)``). ``from_hex``: the number's bit ``x`` (LSB first)
  is the bit at index ``x``, so ``0xE8`` is ``Maj_3`` (and ``0x8`` is ``AND_2``); ``n`` is
  ``log2(4 * digits)`` unless given.
- **LTFs.** :func:`ltf` is ``f(x) = +1 if w.x >= theta else -1`` (``>`` with ``strict``), the sign
  convention of O'Donnell ch. 5 and of :func:`featurecheck.numerics.estimators.cube.threshold`; with
  ``pm=False`` it is the indicator ``1[w.x >= theta] = (1 + f)/2``. (A bit string's 0/1 version is
  ``(1 - f)/2``: the indicator of the event "True", which ``-1`` encodes.)
- **Normalisation.** ``hat f(S) = E[f(x) chi_S(x)] = walsh[S] / 2^n``.
- **Influence.** ``Inf_i[f] = sum_{S ∋ i} hat f(S)^2`` (``Pr[f(x) != f(x^{(i)})]`` for ``±1`` values).
- **Noise stability.** ``Stab_rho[f] = E[f(x) f(y)] = sum_k rho^k W^k[f]``, ``y`` rho-correlated with
  ``x``; not the agreement probability.

Monte Carlo (functions too large to tabulate): :func:`coefficient_mc` estimates ``hat f(S)`` of an
:class:`Expression` (evaluated in numba, ``n <= 4096``) or of a callable on ``±1`` points, with the
Hoeffding / empirical-Bernstein / z intervals of :mod:`featurecheck.numerics.estimators.intervals`.

References
----------
R. O'Donnell, *Analysis of Boolean Functions*, Cambridge 2014: sec. 1.1-1.2 (encoding, Walsh
expansion), sec. 2.2-2.3 (influences), sec. 2.4 (noise stability), sec. 3.3 (restrictions),
sec. 5.1 (LTFs and Chow parameters, Thm 5.1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from featurecheck.numerics._kernels import boolfunc as K
from featurecheck.numerics._kernels.rng import CHUNK, Purpose, stream_key
from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA, INTERVAL_KINDS, Estimate, interval_radius
from featurecheck.numerics.estimators.walsh import fwht
from featurecheck.theory._validate import check_int, check_probability, check_real, check_subset

if TYPE_CHECKING:
    import sympy as sp

__all__ = [
    "BooleanFunction",
    "Expression",
    "parse_expression",
    "from_table",
    "from_bits",
    "from_hex",
    "from_expression",
    "from_callable",
    "ltf",
    "coefficient_mc",
    "MAX_TABLE_N",
    "MAX_MC_N",
]

MAX_TABLE_N = 20  # a truth table of 2^20 int64 is 8 MiB; Monte Carlo beyond
MAX_MC_N = 4096
_MAX_SAMPLES = 1 << 40
_MAX_EXPR_CHARS = 100_000
_MAX_DEPTH = 200
_MAX_VALUE = 1 << 20  # |f| bound of a Monte Carlo callable: CHUNK * |f|^2 < 2^63 (int64 chunk sums)


def _popcounts(n: int) -> np.ndarray:
    """``popcount(S)`` for every mask ``S < 2^n`` (int64)."""
    pc = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        pc[1 << i:2 << i] = pc[:1 << i] + 1
    return pc


class BooleanFunction:
    """A function ``f: {-1,1}^n -> Z`` given by its truth table, with exact Fourier quantities.

    Build one with :func:`from_bits`, :func:`from_hex`, :func:`from_table`, :func:`from_expression`,
    :func:`ltf` or :func:`from_callable` (conventions in the module docstring). ``&``, ``|``, ``~``
    are AND, OR, NOT of ``±1``-valued functions in the encoding True = -1; ``*`` (and ``^`` on ``±1``
    values) is the pointwise product.

    Examples
    --------
    >>> f = from_expression("x0 & x1 | x2")
    >>> f.n, str(f.coefficient(0)), f.degree()
    (3, '-1/4', 3)
    >>> [str(w) for w in f.level_weights()]
    ['1/16', '11/16', '3/16', '1/16']
    """

    __slots__ = ("n", "name", "_table", "_walsh")

    def __init__(self, table: Any, name: str = "f") -> None:
        arr = _check_table(table)
        arr.setflags(write=False)
        self.n: int = arr.shape[0].bit_length() - 1
        self.name = str(name)
        self._table = arr
        self._walsh: np.ndarray | None = None

    # ------------------------------------------------------------ values
    @property
    def table(self) -> np.ndarray:
        """The truth table (read-only int64 array of length ``2^n``, index convention of the module)."""
        return self._table

    @property
    def is_boolean(self) -> bool:
        """True if every value is ``±1``."""
        return bool(np.all(np.abs(self._table) == 1))

    def __call__(self, x: Iterable[int]) -> int:
        """Value at one ``±1`` point.

        Examples
        --------
        >>> f = from_bits("0001")   # AND: True (-1) iff x0 = x1 = -1
        >>> f([-1, -1]), f([1, -1])
        (-1, 1)
        """
        xs = list(x)
        if len(xs) != self.n or any(v not in (-1, 1) for v in xs):
            raise ValueError(f"x must be a ±1 sequence of length n = {self.n}, got {xs!r}")
        return int(self._table[sum(1 << i for i, v in enumerate(xs) if v == -1)])

    def __repr__(self) -> str:
        return f"BooleanFunction(n={self.n}, name={self.name!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BooleanFunction):
            return NotImplemented
        return self.n == other.n and bool(np.array_equal(self._table, other._table))

    def __hash__(self) -> int:
        return hash((self.n, self._table.tobytes()))

    # ------------------------------------------------------------ exact Fourier analysis
    def walsh(self) -> np.ndarray:
        """Raw integer Walsh sums ``sum_x f(x) chi_S(x) = 2^n hat f(S)``, indexed by the mask of ``S``.

        Examples
        --------
        >>> from_hex("0xE8").walsh().tolist()     # Maj_3
        [0, 4, 4, 0, 4, 0, 0, -4]
        """
        if self._walsh is None:
            w = fwht(self._table, parallel=False)
            w.setflags(write=False)
            self._walsh = w
        return self._walsh

    def coefficient(self, S: Iterable[int] | int) -> Fraction:
        """``hat f(S) = E[f chi_S]`` for a set of coordinates or a bit mask.

        Examples
        --------
        >>> from_hex("0xE8").coefficient([0, 1, 2])
        Fraction(-1, 2)
        """
        mask = sum(1 << i for i in check_subset("S", S, self.n))
        return Fraction(int(self.walsh()[mask]), 1 << self.n)

    def spectrum(self) -> list[Fraction]:
        """All ``hat f(S)``, indexed by the mask of ``S`` (``2^n`` Fractions).

        Examples
        --------
        >>> [str(c) for c in from_bits("0001").spectrum()]   # AND_2 = 1/2 + x0/2 + x1/2 - x0 x1/2
        ['1/2', '1/2', '1/2', '-1/2']
        """
        d = 1 << self.n
        return [Fraction(v, d) for v in self.walsh().tolist()]

    def _squares(self) -> np.ndarray | list[int]:
        """Return ``walsh[S]^2`` for every mask: int64 when every sum of them fits int64, else Python ints."""
        w = self.walsh()
        m = int(np.abs(w).max()) if w.size else 0
        if m * m < (1 << 62) >> self.n:  # 2^n squares sum below 2^62
            return w.astype(np.int64) ** 2
        return [v * v for v in w.tolist()]

    def _level_sums(self) -> list[int]:
        """Return ``sum_{|S| = k} walsh[S]^2`` for ``k = 0..n`` (exact integers)."""
        sq = self._squares()
        pc = _popcounts(self.n)
        if isinstance(sq, np.ndarray):
            out = np.zeros(self.n + 1, dtype=np.int64)
            np.add.at(out, pc, sq)
            return [int(v) for v in out]
        sums = [0] * (self.n + 1)
        for v, k in zip(sq, pc.tolist(), strict=True):
            sums[k] += v
        return sums

    def level_weights(self) -> list[Fraction]:
        """``W^k[f] = sum_{|S| = k} hat f(S)^2`` for ``k = 0..n``.

        Examples
        --------
        >>> [str(w) for w in from_hex("0xE8").level_weights()]
        ['0', '3/4', '0', '1/4']
        """
        d = 1 << (2 * self.n)
        return [Fraction(s, d) for s in self._level_sums()]

    def influences(self) -> list[Fraction]:
        """``Inf_i[f] = sum_{S ∋ i} hat f(S)^2`` for ``i = 0..n-1``.

        Examples
        --------
        >>> [str(v) for v in from_bits("0001").influences()]   # AND_2: pivotal iff the other is True
        ['1/2', '1/2']
        """
        sq = self._squares()
        n = self.n
        d = 1 << (2 * n)
        if isinstance(sq, np.ndarray):
            # the masks with bit i set: the second half of each block of 2^(i+1)
            return [Fraction(int(sq.reshape(-1, 2, 1 << i)[:, 1, :].sum()), d) for i in range(n)]
        return [Fraction(sum(sq[S] for S in range(1 << n) if S >> i & 1), d) for i in range(n)]

    def total_influence(self) -> Fraction:
        """``I[f] = sum_i Inf_i[f] = sum_k k W^k[f]``.

        Examples
        --------
        >>> from_hex("0xE8").total_influence()
        Fraction(3, 2)
        """
        d = 1 << (2 * self.n)
        return Fraction(sum(k * s for k, s in enumerate(self._level_sums())), d)

    def noise_stability(self) -> sp.Poly:
        """``Stab_rho[f] = E[f(x) f(y)] = sum_k W^k rho^k``, an exact sympy polynomial in ``rho``.

        Examples
        --------
        >>> from_hex("0xE8").noise_stability().as_expr()
        rho**3/4 + 3*rho/4
        """
        from featurecheck.theory.boolean import stability_polynomial  # imports sympy, so only here

        return stability_polynomial(self.level_weights())

    def noise_stability_at(self, rho: Any) -> Fraction:
        """``Stab_rho[f]`` at one exact ``rho`` in ``[-1, 1]`` (a Fraction, a string such as ``"1/3"``).

        Examples
        --------
        >>> from_hex("0xE8").noise_stability_at("1/2")
        Fraction(13, 32)
        """
        r = Fraction(check_real("rho", rho, -1, 1, exact=True))
        return sum((w * r**k for k, w in enumerate(self.level_weights())), Fraction(0))

    def chow(self) -> tuple[Fraction, ...]:
        """Chow parameters ``(hat f(∅), hat f({0}), ..., hat f({n-1}))`` (O'Donnell 2014, Thm 5.1).

        Examples
        --------
        >>> [str(c) for c in from_bits("0001").chow()]
        ['1/2', '1/2', '1/2']
        """
        w = self.walsh()
        d = 1 << self.n
        return (Fraction(int(w[0]), d), *(Fraction(int(w[1 << i]), d) for i in range(self.n)))

    def degree(self) -> int:
        """Fourier degree ``max{|S| : hat f(S) != 0}`` (0 for constants, also for the zero function).

        Examples
        --------
        >>> from_hex("0x6").degree()   # XOR_2
        2
        """
        nz = np.flatnonzero(self.walsh())
        return int(_popcounts(self.n)[nz].max()) if nz.size else 0

    def mean(self) -> Fraction:
        """``E[f] = hat f(∅)``."""
        return Fraction(int(self._table.sum()), 1 << self.n)

    # ------------------------------------------------------------ restrictions and combinations
    def restrict(self, fixed: Mapping[int, int]) -> BooleanFunction:
        """Fix ``x_i = v`` (``v = ±1``) for each ``i: v`` in ``fixed``; the others are renumbered in order.

        The result has ``n - len(fixed)`` variables: free coordinate ``j`` of the result is the
        ``j``-th smallest unfixed coordinate of ``f`` (O'Donnell 2014, sec. 3.3).

        Examples
        --------
        >>> f = from_expression("x0 & x1 | x2")
        >>> f.restrict({2: 1}) == from_bits("0001")     # x2 False (+1): AND(x0, x1)
        True
        >>> f.restrict({2: -1}).table.tolist()          # x2 True: constant True = -1
        [-1, -1, -1, -1]
        """
        if not isinstance(fixed, Mapping):
            raise ValueError(f"fixed must be a mapping coordinate -> ±1, got {type(fixed).__name__}")
        base = 0
        fixed_set = set()
        for i, v in fixed.items():
            i = check_int("fixed coordinate", i, 0, self.n - 1)
            if isinstance(v, bool) or v not in (-1, 1):
                raise ValueError(f"fixed[{i}] must be +1 or -1, got {v!r}")
            fixed_set.add(i)
            if v == -1:
                base |= 1 << i
        free = [i for i in range(self.n) if i not in fixed_set]
        r = np.arange(1 << len(free), dtype=np.int64)
        idx = np.full(r.shape, base, dtype=np.int64)
        for j, i in enumerate(free):
            idx |= ((r >> j) & 1) << i
        desc = ",".join(f"x{i}={v}" for i, v in sorted(fixed.items()))
        return BooleanFunction(self._table[idx].copy(), f"{self.name}|{desc}")

    def _same_n(self, other: object, op: str) -> BooleanFunction:
        if not isinstance(other, BooleanFunction):
            raise ValueError(f"{op}: both operands must be BooleanFunctions, got {type(other).__name__}")
        if other.n != self.n:
            raise ValueError(f"{op}: functions on n={self.n} and n={other.n} variables; restrict or extend first")
        return other

    def _boolean_bits(self, op: str) -> np.ndarray:
        if not self.is_boolean:
            raise ValueError(f"{op} needs ±1-valued functions; {self.name} takes values {np.unique(self._table)[:4]}")
        return (self._table == -1)

    def __mul__(self, other: object) -> BooleanFunction:
        g = self._same_n(other, "*")
        return BooleanFunction(self._table * g._table, f"({self.name})*({g.name})")

    def __and__(self, other: object) -> BooleanFunction:
        g = self._same_n(other, "&")
        b = self._boolean_bits("&") & g._boolean_bits("&")
        return BooleanFunction(1 - 2 * b.astype(np.int64), f"({self.name})&({g.name})")

    def __or__(self, other: object) -> BooleanFunction:
        g = self._same_n(other, "|")
        b = self._boolean_bits("|") | g._boolean_bits("|")
        return BooleanFunction(1 - 2 * b.astype(np.int64), f"({self.name})|({g.name})")

    def __xor__(self, other: object) -> BooleanFunction:
        g = self._same_n(other, "^")
        self._boolean_bits("^")
        g._boolean_bits("^")
        return BooleanFunction(self._table * g._table, f"({self.name})^({g.name})")

    def __invert__(self) -> BooleanFunction:
        self._boolean_bits("~")
        return BooleanFunction(-self._table, f"~({self.name})")

    def __neg__(self) -> BooleanFunction:
        return BooleanFunction(-self._table, f"-({self.name})")

    def to_hex(self) -> str:
        """Return the hex form of a ``±1``-valued table (bit ``x`` = 1 iff ``f`` is -1 at index ``x``).

        Examples
        --------
        >>> from_expression("maj(x0, x1, x2)").to_hex()
        '0xe8'
        """
        bits = self._boolean_bits("to_hex")
        digits = max(1, (1 << self.n) // 4)
        return "0x" + format(int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little"), f"0{digits}x")


# ---------------------------------------------------------------- validation of truth tables
def _check_table(table: Any) -> np.ndarray:
    if isinstance(table, (str, bytes)):
        raise ValueError("table must be an array of integers; use from_bits or from_hex for a string")
    try:
        raw = np.asarray(list(table) if not hasattr(table, "__array__") else table)
    except TypeError:
        raise ValueError(f"table must be a 1-d array of 2^n integers, got {type(table).__name__}") from None
    if raw.ndim != 1:
        raise ValueError(f"table must be a 1-d array of 2^n integers, got shape {raw.shape}")
    size = raw.shape[0]
    if size == 0 or size & (size - 1) or size > 1 << MAX_TABLE_N:
        why = " (not a power of two)" if size & (size - 1) else ""
        raise ValueError(f"table length must be 2^n with 0 <= n <= {MAX_TABLE_N} (MAX_TABLE_N), got length {size}{why}")
    if raw.dtype == np.bool_:
        raise ValueError("table must hold integers, got booleans (use from_bits, or 1 - 2*table for the ±1 encoding)")
    if raw.dtype == object or np.issubdtype(raw.dtype, np.floating):
        vals = raw.tolist()
        for k, v in enumerate(vals):
            if isinstance(v, bool) or not (isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer())):
                raise ValueError(f"table[{k}] must be an integer, got {v!r}")
            if abs(int(v)) >= 2**62:
                raise ValueError(f"table[{k}] must be an integer with |value| < 2^62, got {v!r}")
        return np.array([int(v) for v in vals], dtype=np.int64)
    if not np.issubdtype(raw.dtype, np.integer):
        raise ValueError(f"table must hold integers, got dtype {raw.dtype}")
    if raw.dtype == np.uint64 and size and int(raw.max()) >= 2**62:
        raise ValueError(f"table values must have |value| < 2^62, got {int(raw.max())}")
    return raw.astype(np.int64, copy=True)


def _pm(bits: np.ndarray, pm: bool) -> np.ndarray:
    b = bits.astype(np.int64)
    return 1 - 2 * b if pm else b


def from_table(table: Any, name: str = "table") -> BooleanFunction:
    """Build a function from its truth table of ``2^n`` integers (index convention of the module).

    Examples
    --------
    >>> from_table([1, 1, 1, -1]).coefficient(3)
    Fraction(-1, 2)
    >>> from_table([1, -1, 1])
    Traceback (most recent call last):
    ...
    ValueError: table length must be 2^n with 0 <= n <= 20 (MAX_TABLE_N), got length 3 (not a power of two)
    """
    return BooleanFunction(table, name)


def from_bits(bits: str, *, pm: bool = True) -> BooleanFunction:
    """Build a function from a string of ``2^n`` bits; character ``x`` is the bit at index ``x``.

    Spaces and underscores are ignored. Bit ``b`` becomes ``(-1)^b`` (or ``b`` with ``pm=False``).

    Examples
    --------
    >>> from_bits("0110").table.tolist()          # XOR_2
    [1, -1, -1, 1]
    >>> from_bits("0001", pm=False).table.tolist()
    [0, 0, 0, 1]
    """
    if not isinstance(bits, str):
        raise ValueError(f"bits must be a string of 0s and 1s, got {type(bits).__name__}")
    s = re.sub(r"[\s_]", "", bits)
    if not s or set(s) - {"0", "1"}:
        raise ValueError(f"bits must be a non-empty string of 0s and 1s (spaces and _ allowed), got {bits!r}")
    size = len(s)
    if size & (size - 1) or size > 1 << MAX_TABLE_N:
        raise ValueError(f"bits must have length 2^n with 0 <= n <= {MAX_TABLE_N}, got length {size}")
    arr = np.frombuffer(s.encode(), dtype=np.uint8) - ord("0")
    return BooleanFunction(_pm(arr, pm), f"bits:{s if size <= 64 else s[:64] + '...'}")


def from_hex(hexstr: str, n: int | None = None, *, pm: bool = True) -> BooleanFunction:
    """Build a function from a hex number whose bit ``x`` (LSB first) is the bit at index ``x``.

    Parameters
    ----------
    hexstr : str
        ``"0x..."`` (the ``0x`` is optional; ``_`` allowed).
    n : int, optional
        Number of variables, ``0 <= n <= 20``; default ``log2(4 * number of hex digits)`` (the digit
        count must then be a power of two; give ``n`` for ``n < 2``). The number must be ``< 2^(2^n)``.
    pm : bool
        ``(-1)^b`` values (default) or the bits.

    Examples
    --------
    >>> f = from_hex("0xE8")
    >>> f.n, f.table.tolist()
    (3, [1, 1, 1, -1, 1, -1, -1, -1])
    >>> from_hex("0x2", n=1).table.tolist()     # the dictator x0 ... with True = -1: x0 itself
    [1, -1]
    """
    if not isinstance(hexstr, str):
        raise ValueError(f"hex must be a string such as '0xE8', got {type(hexstr).__name__}")
    s = hexstr.strip().replace("_", "")
    if s[:2].lower() == "0x":
        s = s[2:]
    if not s or not re.fullmatch(r"[0-9a-fA-F]+", s):
        raise ValueError(f"hex must be a hexadecimal number such as '0xE8', got {hexstr!r}")
    value = int(s, 16)
    if n is None:
        bitsz = 4 * len(s)
        if bitsz & (bitsz - 1) or bitsz > 1 << MAX_TABLE_N:
            raise ValueError(f"hex {hexstr!r} has {len(s)} digits = {bitsz} bits, not a power of two 2^n "
                             f"with 2 <= n <= {MAX_TABLE_N}; pad with leading zeros or give n")
        n = bitsz.bit_length() - 1
    n = check_int("n", n, 0, MAX_TABLE_N)
    if value >> (1 << n):
        raise ValueError(f"hex {hexstr!r} has more than 2^n = {1 << n} bits (n = {n}): value must be < 2^(2^n)")
    size = 1 << n
    raw = np.frombuffer(value.to_bytes(max(1, (size + 7) // 8), "little"), dtype=np.uint8)
    bits = np.unpackbits(raw, bitorder="little")[:size]
    return BooleanFunction(_pm(bits, pm), f"hex:0x{s.lower()}")


def from_callable(func: Callable[..., Any], n: int, *, vectorized: bool = False, name: str | None = None) -> BooleanFunction:
    """Tabulate a Python callable on ``±1`` points (``n <= 20``).

    Parameters
    ----------
    func : callable
        ``func(x)`` with ``x`` a tuple of ``n`` values ``±1`` returns an integer; with
        ``vectorized=True`` it gets an ``(2^n, n)`` int8 array of points (row ``x`` = index ``x``) and
        returns ``2^n`` integers.
    n : int
        Number of variables, ``0 <= n <= 20``.

    Examples
    --------
    >>> f = from_callable(lambda x: 1 if sum(x) > 0 else -1, 3)
    >>> f == from_hex("0xE8")
    True
    """
    n = check_int("n", n, 0, MAX_TABLE_N)
    if not callable(func):
        raise ValueError(f"func must be callable, got {type(func).__name__}")
    pts = _points(n)
    if vectorized:
        vals = np.asarray(func(pts))
        if vals.shape != (1 << n,):
            raise ValueError(f"func must return 2^n = {1 << n} values for the (2^n, n) array, got shape {vals.shape}")
    else:
        vals = np.array([func(tuple(int(v) for v in row)) for row in pts.tolist()], dtype=object)
    return BooleanFunction(vals, name or str(getattr(func, "__name__", "callable")))


def _points(n: int) -> np.ndarray:
    idx = np.arange(1 << n, dtype=np.int64)
    return (1 - 2 * ((idx[:, None] >> np.arange(n)) & 1)).astype(np.int8)


def ltf(weights: Sequence[Any], theta: Any = 0, *, n: int | None = None, strict: bool = False,
        pm: bool = True) -> BooleanFunction:
    """Linear threshold function ``f(x) = +1 if sum_i w_i x_i >= theta else -1`` (``>`` with ``strict``).

    Parameters
    ----------
    weights : sequence of rationals
        ``w_0..w_{n-1}`` (integers, or rationals kept exact), ``1 <= n <= 20``.
    theta : rational
        Threshold (``"3/2"``, a Fraction, an int; floats at their exact binary value).
    n : int, optional
        If given, ``len(weights)`` must equal it.
    pm : bool
        ``±1`` values (default), or the indicator ``1[w.x >= theta]`` with ``pm=False``.

    Examples
    --------
    >>> f = ltf([31, 31, 28, 21, 2, 2])    # 31 + 31 + 28 > 21 + 2 + 2: this is Maj(x0, x1, x2)
    >>> [str(c) for c in f.chow()]
    ['0', '1/2', '1/2', '1/2', '0', '0', '0']
    >>> ltf([1, 1, 1], n=4)
    Traceback (most recent call last):
    ...
    ValueError: weights must have n = 4 entries (one per variable), got 3
    """
    if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__"):
        raise ValueError(f"weights must be a sequence of rationals, got {weights!r}")
    w = [check_real(f"weights[{i}]", v, exact=True) for i, v in enumerate(weights)]
    if n is not None:
        n = check_int("n", n, 1, MAX_TABLE_N)
        if len(w) != n:
            raise ValueError(f"weights must have n = {n} entries (one per variable), got {len(w)}")
    if not 1 <= len(w) <= MAX_TABLE_N:
        raise ValueError(f"weights must have between 1 and {MAX_TABLE_N} entries (n = len(weights)), got {len(w)}")
    th = Fraction(check_real("theta", theta, exact=True))
    fw = [Fraction(v) for v in w]
    scale = math.lcm(*(v.denominator for v in fw), th.denominator)
    iw = [int(v * scale) for v in fw]
    ith = th * scale  # an integer
    nn = len(iw)
    big = sum(abs(v) for v in iw) >= 2**62 or abs(ith) >= 2**62
    pts = _points(nn)
    if big:
        dots = [sum(int(c) * v for c, v in zip(row, iw, strict=True)) for row in pts.tolist()]
        ok = np.array([(d > ith) if strict else (d >= ith) for d in dots], dtype=bool)
    else:
        dots_a = pts.astype(np.int64) @ np.array(iw, dtype=np.int64)
        ok = dots_a > int(ith) if strict else dots_a >= int(ith)
    vals = 2 * ok.astype(np.int64) - 1 if pm else ok.astype(np.int64)
    ws = ",".join(str(v) for v in w)
    return BooleanFunction(vals, f"ltf[{ws}]{'>' if strict else '>='}{th}")


# ---------------------------------------------------------------- expressions
_TOKEN = re.compile(r"\s*(?:(x\d+)|(maj|thr)\b|(\d+)|([&|^~(),]))")


@dataclass(frozen=True)
class Expression:
    """A parsed Boolean expression in ``x0..x{n-1}`` (see :func:`parse_expression`).

    ``program`` is the postfix form run by the numba kernel (:mod:`featurecheck.numerics._kernels.boolfunc`);
    ``depth`` its stack depth.
    """

    text: str
    n: int
    ast: tuple[Any, ...]
    program: np.ndarray
    depth: int

    def table(self, pm: bool = True) -> np.ndarray:
        """Truth table (``n <= 20``): ``(-1)^b`` or ``b`` for the expression's bit ``b`` at each index."""
        check_int("n", self.n, 0, MAX_TABLE_N)
        idx = np.arange(1 << self.n, dtype=np.int64)
        return _pm(_eval_np(self.ast, idx), pm)

    def evaluate_bits(self, bits: Sequence[int]) -> int:
        """Return the expression's bit at one point given by its ``n`` bits (``bits[i] = 1`` iff ``x_i = -1``).

        Runs :attr:`program` in the kernel of :func:`coefficient_mc` on the one point.
        """
        bs = [int(b) for b in bits]
        if len(bs) != self.n or any(b not in (0, 1) for b in bs):
            raise ValueError(f"bits must be a 0/1 sequence of length n = {self.n}, got {list(bits)!r}")
        words = np.zeros((self.n + 63) // 64, dtype=np.uint64)
        for i in np.flatnonzero(bs):
            words[i >> 6] |= np.uint64(1) << np.uint64(i & 63)
        return int(K.eval_program(self.program, words, np.empty(self.depth, dtype=np.int64)))


class _Parser:
    """Recursive-descent parser of Boolean expressions.

    Grammar: ``or := xor ('|' xor)*``, ``xor := and ('^' and)*``, ``and := not ('&' not)*``,
    ``not := '~' not | atom``, ``atom := xi | 0 | 1 | '(' or ')' | maj(or, ...) | thr(k, or, ...)``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m:
                raise ValueError(f"expression: unexpected character {text[pos:].lstrip()[0]!r} at position "
                                 f"{len(text) - len(text[pos:].lstrip())} in {text!r} (allowed: x0..x{{n-1}}, 0, 1, "
                                 "& | ^ ~ ( ) , maj(...), thr(k, ...))")
            kind = "var" if m.group(1) else "fn" if m.group(2) else "int" if m.group(3) else "op"
            self.toks.append((kind, m.group(m.lastindex or 0), m.start(m.lastindex or 0)))
            pos = m.end()
        self.i = 0
        self.max_var = -1

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def fail(self, what: str) -> ValueError:
        t = self.peek()
        where = f"{t[1]!r} at position {t[2]}" if t else "end of input"
        return ValueError(f"expression: expected {what}, got {where} in {self.text!r}")

    def eat(self, val: str) -> None:
        t = self.peek()
        if t is None or t[1] != val:
            raise self.fail(repr(val))
        self.i += 1

    def parse(self) -> tuple[Any, ...]:
        node = self.p_or(0)
        if self.peek() is not None:
            raise self.fail("an operator or the end")
        return node

    def _binary(self, op: str, name: str, sub: Callable[[int], tuple[Any, ...]], d: int) -> tuple[Any, ...]:
        node = sub(d)
        while (t := self.peek()) is not None and t[1] == op:
            self.i += 1
            node = (name, node, sub(d))
        return node

    def p_or(self, d: int) -> tuple[Any, ...]:
        if d > _MAX_DEPTH:
            raise ValueError(f"expression: nesting depth exceeds {_MAX_DEPTH} in {self.text[:80]!r}")
        return self._binary("|", "or", self.p_xor, d + 1)

    def p_xor(self, d: int) -> tuple[Any, ...]:
        return self._binary("^", "xor", self.p_and, d)

    def p_and(self, d: int) -> tuple[Any, ...]:
        return self._binary("&", "and", self.p_not, d)

    def p_not(self, d: int) -> tuple[Any, ...]:
        t = self.peek()
        if t is not None and t[1] == "~":
            self.i += 1
            if d > _MAX_DEPTH:
                raise ValueError(f"expression: nesting depth exceeds {_MAX_DEPTH} in {self.text[:80]!r}")
            return ("not", self.p_not(d + 1))
        return self.p_atom(d)

    def p_atom(self, d: int) -> tuple[Any, ...]:
        t = self.peek()
        if t is None:
            raise self.fail("a variable, a constant, '(' or maj/thr")
        kind, val, _ = t
        if kind == "var":
            self.i += 1
            i = int(val[1:])
            if i >= MAX_MC_N:
                raise ValueError(f"expression: variable {val} out of range, indices must be in [0, {MAX_MC_N - 1}]")
            self.max_var = max(self.max_var, i)
            return ("var", i)
        if kind == "int" and val in ("0", "1"):
            self.i += 1
            return ("const", int(val))
        if val == "(":
            self.i += 1
            node = self.p_or(d + 1)
            self.eat(")")
            return node
        if kind == "fn":
            self.i += 1
            self.eat("(")
            k = None
            if val == "thr":
                t2 = self.peek()
                if t2 is None or t2[0] != "int":
                    raise self.fail("the integer k of thr(k, ...)")
                k = int(t2[1])
                self.i += 1
                self.eat(",")
            args = [self.p_or(d + 1)]
            while (t3 := self.peek()) is not None and t3[1] == ",":
                self.i += 1
                args.append(self.p_or(d + 1))
            self.eat(")")
            m = len(args)
            if val == "maj":
                if m % 2 == 0:
                    raise ValueError(f"expression: maj needs an odd number of arguments, got {m} in {self.text!r} "
                                     "(use thr(k, ...) with an explicit tie rule)")
                k = (m + 1) // 2
            assert k is not None
            if not 0 <= k <= m + 1:
                raise ValueError(f"expression: thr(k, ...) with {m} arguments needs k in [0, {m + 1}], got {k}")
            return ("thr", k, tuple(args))
        raise self.fail("a variable, a constant, '(' or maj/thr")


def parse_expression(text: str | Expression, n: int | None = None) -> Expression:
    """Parse a Boolean expression in ``x0..x{n-1}`` safely (a hand-written parser; nothing is ``eval``-ed).

    Grammar, loosest binding first: ``|`` (or), ``^`` (xor), ``&`` (and), ``~`` (not); atoms are
    ``xi`` (True iff ``x_i = -1``), the constants ``0`` and ``1``, parentheses, ``maj(e1, ..., em)``
    (``m`` odd) and ``thr(k, e1, ..., em)`` (True iff at least ``k`` of the ``m`` arguments are True,
    ``0 <= k <= m + 1``).

    Parameters
    ----------
    text : str or Expression
        The expression (at most 100 000 characters, nesting depth at most 200); an Expression is
        returned as it is.
    n : int, optional
        Number of variables, at least ``1 +`` the largest index used, at most 4096; default ``1 +``
        the largest index.

    Examples
    --------
    >>> e = parse_expression("x0&x1 | x2")
    >>> e.n, e.ast
    (3, ('or', ('and', ('var', 0), ('var', 1)), ('var', 2)))
    >>> parse_expression("x0 + x1")
    Traceback (most recent call last):
    ...
    ValueError: expression: unexpected character '+' at position 3 in 'x0 + x1' (allowed: x0..x{n-1}, 0, 1, & | ^ ~ ( ) , maj(...), thr(k, ...))
    """
    if isinstance(text, Expression):
        return text
    if not isinstance(text, str):
        raise ValueError(f"expression must be a string, got {type(text).__name__}")
    if not text.strip() or len(text) > _MAX_EXPR_CHARS:
        raise ValueError(f"expression must be a non-empty string of at most {_MAX_EXPR_CHARS} characters, got {len(text)}")
    p = _Parser(text)
    ast = p.parse()
    need = p.max_var + 1
    if n is None:
        n = max(need, 1)
    n = check_int("n", n, max(need, 1), MAX_MC_N)
    prog: list[tuple[int, int, int]] = []
    depth = _compile(ast, prog, 0)
    return Expression(text, n, ast, np.array(prog, dtype=np.int64).reshape(-1, 3), depth)


def _compile(node: tuple[Any, ...], prog: list[tuple[int, int, int]], sp_: int) -> int:
    """Append the postfix code of ``node``; return the max stack height reached (from height ``sp_``)."""
    kind = node[0]
    if kind == "var":
        prog.append((K.OP_VAR, node[1], 0))
        return sp_ + 1
    if kind == "const":
        prog.append((K.OP_CONST, node[1], 0))
        return sp_ + 1
    if kind == "not":
        d = _compile(node[1], prog, sp_)
        prog.append((K.OP_NOT, 0, 0))
        return d
    if kind == "thr":
        d = sp_
        for j, a in enumerate(node[2]):
            d = max(d, _compile(a, prog, sp_ + j))
        prog.append((K.OP_THR, node[1], len(node[2])))
        return d
    d1 = _compile(node[1], prog, sp_)
    d2 = _compile(node[2], prog, sp_ + 1)
    prog.append(({"and": K.OP_AND, "or": K.OP_OR, "xor": K.OP_XOR}[kind], 0, 0))
    return max(d1, d2)


def _eval_np(node: tuple[Any, ...], idx: np.ndarray) -> np.ndarray:
    kind = node[0]
    if kind == "var":
        return ((idx >> node[1]) & 1).astype(bool)
    if kind == "const":
        return np.full(idx.shape, bool(node[1]))
    if kind == "not":
        return ~_eval_np(node[1], idx)
    if kind == "thr":
        count = sum(_eval_np(a, idx).astype(np.int64) for a in node[2])
        return np.asarray(count >= node[1])
    a, b = _eval_np(node[1], idx), _eval_np(node[2], idx)
    return a & b if kind == "and" else a | b if kind == "or" else a ^ b


def from_expression(text: str | Expression, n: int | None = None, *, pm: bool = True) -> BooleanFunction:
    """Tabulate an expression (:func:`parse_expression`), ``n <= 20``; its bit ``b`` becomes ``(-1)^b``.

    Examples
    --------
    >>> from_expression("maj(x0, x1, x2)") == from_hex("0xE8")
    True
    >>> from_expression("thr(2, x0, x1, x2, x3)", pm=False).mean()   # at least 2 of 4 True
    Fraction(11, 16)
    """
    e = parse_expression(text, n)  # an Expression is returned as it is
    if n is not None and isinstance(text, Expression) and check_int("n", n, 0) != e.n:
        raise ValueError(f"n = {n} differs from the expression's n = {e.n}")
    check_int("n", e.n, 0, MAX_TABLE_N)
    return BooleanFunction(e.table(pm), e.text)


# ---------------------------------------------------------------- Monte Carlo
def coefficient_mc(
    f: str | Expression | Callable[..., Any],
    S: Iterable[int] | int = (),
    *,
    n: int | None = None,
    samples: int = 1_000_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    interval: str = "bernstein",
    pm: bool = True,
    vectorized: bool = True,
    value_range: tuple[int, int] = (-1, 1),
) -> Estimate:
    """Monte Carlo estimate of ``hat f(S) = E[f(x) chi_S(x)]`` with a two-sided ``1 - alpha`` interval.

    Parameters
    ----------
    f : str, Expression or callable
        An expression (evaluated in numba, ``n <= 4096``; value ``(-1)^b``, or ``b`` with
        ``pm=False``), or a callable on ``±1`` points: with ``vectorized=True`` it gets an ``(m, n)``
        int8 array and returns ``m`` integers, else one tuple per call (slow).
    S : iterable of int or int
        0-based coordinates or a bit mask; ``()`` gives ``E[f]``.
    n : int, optional
        Number of variables (required for a callable; for an expression, default ``1 +`` its largest index).
    samples : int
        ``2 <= samples <= 2^40``.
    seed : int
        ``0 <= seed < 2^63``; the same seed gives the same points and the same estimate.
    alpha : float
        Two-sided false-alarm probability of the interval, in (0, 1).
    interval : {"bernstein", "hoeffding", "z"}
        Interval kind (:mod:`featurecheck.numerics.estimators.intervals`).
    value_range : (int, int)
        Almost-sure range of a callable's values (default ``±1``), within ``[-2^20, 2^20]``; a value
        outside it raises a ValueError.

    Returns
    -------
    Estimate

    Notes
    -----
    Points: sample ``i`` of chunk ``c`` (``CHUNK = 2^16`` samples) is ``W = ceil(n/64)`` words of the
    counter-based stream ``(seed, Purpose.BOOLEAN_MC)`` of :mod:`featurecheck.numerics._kernels.rng`,
    bit ``i`` set meaning ``x_i = -1``. Chunks run serially and their integer sums add as Python ints, so
    the estimate does not depend on threads. ``f chi_S`` lies in ``[-M, M]`` with ``M = max|value_range|``
    (in ``value_range`` itself when ``S`` is empty), the range the interval uses.

    References
    ----------
    O'Donnell (2014), sec. 3.4 (estimating Fourier coefficients from random samples).

    Examples
    --------
    >>> est = coefficient_mc("maj(x0, x1, x2)", [0, 1, 2], samples=200_000, seed=0, alpha=1e-3)
    >>> est.contains(-0.5)
    True
    """
    samples = check_int("samples", samples, 2, _MAX_SAMPLES)
    seed = check_int("seed", seed, 0, 2**63 - 1)
    alpha = check_probability("alpha", alpha)
    if interval not in INTERVAL_KINDS:
        raise ValueError(f"interval must be one of {list(INTERVAL_KINDS)}, got {interval!r}")
    if isinstance(f, (str, Expression)):
        expr = parse_expression(f, n)  # an Expression is returned as it is
        if n is not None and check_int("n", n, 1, MAX_MC_N) != expr.n:
            raise ValueError(f"n = {n} differs from the expression's n = {expr.n}")
        nn = expr.n
        lo, hi = (-1, 1) if pm else (0, 1)
        func = None
    elif callable(f):
        if n is None:
            raise ValueError("n is required for a callable (number of variables, 1 <= n <= 4096)")
        nn = check_int("n", n, 1, MAX_MC_N)
        if len(value_range) != 2:
            raise ValueError(f"value_range must be a pair (lo, hi) of integers, got {value_range!r}")
        lo = check_int("value_range[0]", value_range[0], -_MAX_VALUE, _MAX_VALUE)
        hi = check_int("value_range[1]", value_range[1], lo, _MAX_VALUE)
        func = f
        expr = None
    else:
        raise ValueError(f"f must be an expression string, an Expression or a callable, got {type(f).__name__}")
    s = check_subset("S", S, nn)
    W = (nn + 63) // 64
    smask = np.zeros(W, dtype=np.uint64)
    for i in s:
        smask[i >> 6] |= np.uint64(1) << np.uint64(i & 63)
    vlo, vhi = lo, hi
    if s:
        big = max(abs(lo), abs(hi))
        lo, hi = -big, big
    key = stream_key(seed, Purpose.BOOLEAN_MC)
    total = 0
    sq = 0
    out = np.zeros(2, dtype=np.int64)
    for c in range((samples + CHUNK - 1) // CHUNK):
        m = min(CHUNK, samples - c * CHUNK)
        if expr is not None:
            K.expression_chunk(expr.program, np.int64(expr.depth), np.int64(W), key, np.uint64(c), np.int64(m),
                               smask, pm, out)
            total += int(out[0])
            sq += int(out[1])
        else:
            words = K.chunk_words(np.int64(W), key, np.uint64(c), np.int64(m))
            bits = np.unpackbits(words.view(np.uint8), axis=1, bitorder="little")[:, :nn]
            t1, t2 = _callable_sums(func, bits, smask, vectorized, vlo, vhi, c)
            total += t1
            sq += t2
    mean = Fraction(total, samples)
    var = float((Fraction(sq) - Fraction(total * total, samples)) / (samples - 1))
    r = interval_radius(interval, samples, var, lo, hi, alpha)
    mv = float(mean)
    return Estimate(mv, math.sqrt(max(var, 0.0) / samples), (mv - r, mv + r), samples, seed, alpha, interval)


def _callable_sums(func: Any, bits: np.ndarray, smask: np.ndarray, vectorized: bool, lo: int, hi: int,
                   chunk: int) -> tuple[int, int]:
    pts = (1 - 2 * bits.astype(np.int8)).astype(np.int8)
    if vectorized:
        vals = np.asarray(func(pts))
        if vals.shape != (pts.shape[0],):
            raise ValueError(f"f must return one value per row of the ({pts.shape[0]}, {pts.shape[1]}) array, "
                             f"got shape {vals.shape}")
    else:
        vals = np.array([func(tuple(int(v) for v in row)) for row in pts.tolist()], dtype=object)
    if vals.dtype == object or np.issubdtype(vals.dtype, np.floating) or vals.dtype == np.bool_:
        if not all(isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer()) for v in vals.tolist()):
            raise ValueError(f"f must return integers (chunk {chunk}), got e.g. {vals[:3].tolist()}")
        vals = np.array([int(v) for v in vals.tolist()], dtype=np.int64)
    vals = vals.astype(np.int64)
    raw_lo, raw_hi = int(vals.min()), int(vals.max())
    if raw_lo < lo or raw_hi > hi:
        raise ValueError(f"f returned {raw_lo if raw_lo < lo else raw_hi}, outside value_range [{lo}, {hi}] "
                         f"(chunk {chunk})")
    smask_bits = np.unpackbits(smask.view(np.uint8), bitorder="little")[:bits.shape[1]].astype(bool)
    par = bits[:, smask_bits].sum(axis=1) & 1 if smask_bits.any() else np.zeros(bits.shape[0], dtype=np.int64)
    v = np.where(par == 1, -vals, vals)
    return int(v.sum()), int((v * v).sum())
