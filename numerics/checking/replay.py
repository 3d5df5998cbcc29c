"""Deterministic seeds of examples, and the ``featurecheck verify`` command that replays a check.

The seed of an example is derived from ``(claim id, bound parameters, salt)`` by BLAKE2b
(:func:`derive_seed`), so the same example always draws the same samples; looks reuse it (the
counter-based streams make ``N_j`` samples a prefix of ``N_{j+1}``). A failure message ends with a
command that replays the failing look exactly::

    featurecheck verify mypkg.claims:my_claim --param n=31 --param k=5 --seed 123 --samples 1048576

The CLI judges the replay at the route's own ``alpha`` (1e-6 by default), whose interval is narrower
than the split one, so the replay fails too.

Where a claim lives: a registered claim is named by its id; any other claim by ``module:attr``, found
from :attr:`featurecheck.theory.claims.Claim.origin` (the module that defined it, recorded by
:func:`featurecheck.numerics.testing.user.claim`) or, failing that, by searching the imported modules.
"""

from __future__ import annotations

import hashlib
import shlex
import sys
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from featurecheck.numerics.estimators.intervals import DEFAULT_ALPHA
from featurecheck.theory.claims import REGISTRY, Claim

__all__ = ["derive_seed", "claim_spec", "reproduce_command"]


def _canon(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(v) if v.denominator != 1 else str(v.numerator)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def derive_seed(claim_id: str, params: Mapping[str, Any], salt: int = 0) -> int:
    """Deterministic 63-bit seed of an example: BLAKE2b of ``claim_id``, the parameters and ``salt``.

    Independent of ``PYTHONHASHSEED``, the process and the order of ``params``.

    Examples
    --------
    >>> derive_seed("majority.coefficient", {"n": 7, "k": 3}) == derive_seed("majority.coefficient", {"k": 3, "n": 7})
    True
    >>> derive_seed("a", {"n": 7}) != derive_seed("a", {"n": 7}, salt=1)
    True
    """
    text = claim_id + "|" + ";".join(f"{k}={_canon(params[k])}" for k in sorted(params)) + f"|{int(salt)}"
    h = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(h, "little") & (2**63 - 1)


def _attr_in(mod_name: str, claim: Claim) -> str | None:
    mod = sys.modules.get(mod_name)
    if mod is None:
        return None
    for k, v in list(vars(mod).items()):
        if v is claim and not k.startswith("_"):
            return k
    for k, v in list(vars(mod).items()):
        if v is claim:
            return k
    return None


def claim_spec(claim: Claim) -> str | None:
    """How ``featurecheck verify`` can find ``claim``: its id if registered, else ``module:attr``.

    Returns None when the claim lives only in ``__main__`` (a script or notebook cell) and is not
    registered, since the CLI cannot import it.

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> load_builtin_claims()
    >>> claim_spec(REGISTRY.get("majority.coefficient"))
    'majority.coefficient'
    """
    if claim.id in REGISTRY and REGISTRY.get(claim.id) is claim:
        return claim.id
    if claim.origin and claim.origin != "__main__":
        attr = _attr_in(claim.origin, claim)
        if attr:
            return f"{claim.origin}:{attr}"
    for name in sorted(sys.modules):
        if name == "__main__" or name.startswith(("_", "hypothesis", "numpy", "sympy", "numba", "scipy")):
            continue
        attr = _attr_in(name, claim)
        if attr:
            return f"{name}:{attr}"
    return None


def _cli_value(v: Any) -> str:
    return _canon(v)


def reproduce_command(claim: Claim, params: Mapping[str, Any], seed: int, samples: int | None = None,
                      alpha: float | None = None) -> str:
    """Return the ``featurecheck verify ...`` command replaying one example (or a hint if not importable).

    It pins the seed, the sample count reached (``--samples``: the same looks, without the clock) and
    the family-wise ``alpha`` where it differs from the default, so the replay reaches the same verdict.

    Examples
    --------
    >>> from featurecheck.numerics.claims import load_builtin_claims
    >>> load_builtin_claims()
    >>> reproduce_command(REGISTRY.get("threshold.coefficient"), {"n": 21, "theta": Fraction(-5, 2), "k": 4}, 7, 1024)
    'featurecheck verify threshold.coefficient --param n=21 --param theta=-5/2 --param k=4 --seed 7 --samples 1024'
    """
    spec = claim_spec(claim)
    args = " ".join(f"--param {shlex.quote(f'{k}={_cli_value(v)}')}" for k, v in params.items())
    tail = f" --seed {seed}" + ("" if samples is None else f" --samples {samples}")
    if alpha is not None and alpha != DEFAULT_ALPHA:
        tail += f" --alpha {alpha:.17g}"
    if spec is None:
        return (f"(define {claim.id} in an importable module to replay it from the shell) "
                f"featurecheck.numerics.checking.engine.verify_claim(claim, "
                f"{dict((k, _cli_value(v)) for k, v in params.items())!r}, seed={seed}"
                f"{'' if samples is None else f', samples={samples}'}"
                f"{'' if alpha is None or alpha == DEFAULT_ALPHA else f', budget=Budget(alpha={alpha!r})'})")
    return f"featurecheck verify {spec}{' ' + args if args else ''}{tail}"
