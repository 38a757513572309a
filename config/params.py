"""Read numbers, cursors, fractions and booleans from query strings and forms, strictly.

`str.isdigit()` accepts "²" and `float()` accepts "nan", "inf" and Arabic-Indic digits. These
parsers accept ASCII digits and finite numbers only, within limits, and raise InvalidInput naming
the parameter, the value and the rule, with `extra={"field": name}`. An absent or empty
value is the `default`, or an error when there is none.
"""

import math
import re
from typing import Any

from config.errors import InvalidInput

# The largest id a database key holds (bigint); larger cursors cannot name a row.
MAX_ID = 2**63 - 1
MAX_LENGTH = 40  # longer than any number these parsers take; refused before parsing
INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
FRACTION_SEPARATORS = re.compile(r"[,/: ]+")
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_REQUIRED: Any = object()


def integer_parse(
    raw: str | None,
    *,
    name: str,
    default: int = _REQUIRED,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int:
    """Return the whole number `raw` (ASCII digits, `-` only when `minimum` is negative)."""
    if _absent(raw):
        return _default(name, default)
    rule = f"use a whole number from {minimum} to {maximum}"
    if len(raw) > MAX_LENGTH or not INTEGER.fullmatch(raw):
        raise _invalid(name, raw, f"{rule}, in digits 0-9")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise _invalid(name, raw, rule)
    return value


def cursor_parse(raw: str | None, *, name: str = "after") -> int:
    """Return a keyset cursor: the id of the last row seen, 0 (the start) when absent."""
    return integer_parse(raw, name=name, default=0, minimum=0, maximum=MAX_ID)


def number_parse(
    raw: str | None,
    *,
    name: str,
    default: float = _REQUIRED,
    minimum: float = -math.inf,
    maximum: float = math.inf,
) -> float:
    """Return the finite decimal number `raw` (such as 0.5, -2 or 1e-3) within the limits."""
    if _absent(raw):
        return _default(name, default)
    if len(raw) > MAX_LENGTH or not NUMBER.fullmatch(raw):
        raise _invalid(name, raw, "use a decimal number such as 0.5, in digits 0-9")
    value = float(raw)
    if not math.isfinite(value):
        raise _invalid(name, raw, "use a finite number")
    if not minimum <= value <= maximum:
        raise _invalid(name, raw, f"use a number from {minimum:g} to {maximum:g}")
    return value


def fractions_parse(raw: str | None, *, name: str) -> tuple[float, ...]:
    """Return `0.8,0.1,0.1` (or percentages, `80,10,10`) as fractions that add up to 1.

    Parts are separated by commas, slashes, colons or spaces; empty means no parts.
    """
    text = (raw or "").strip()
    if not text:
        return ()
    if len(text) > 10 * MAX_LENGTH:
        raise _invalid(name, text, "write fractions such as 0.8,0.1,0.1")
    parts = []
    for part in FRACTION_SEPARATORS.split(text):
        if not NUMBER.fullmatch(part) or not math.isfinite(float(part)):
            raise _invalid(name, text, "write fractions such as 0.8,0.1,0.1")
        parts.append(float(part))
    if any(part < 0 for part in parts):
        raise InvalidInput(f"{name}: parts cannot be negative", extra={"field": name})
    total = sum(parts)
    if total > 1.5:  # percentages
        parts, total = [part / 100 for part in parts], total / 100
    if abs(total - 1) > 1e-6:
        raise InvalidInput(f"{name}: the parts add up to {total:g}, not 1", extra={"field": name})
    return tuple(parts)


def boolean_parse(raw: str | None, *, name: str, default: bool = False) -> bool:
    """Return true for 1, true, yes or on and false for 0, false, no or off (any case)."""
    if _absent(raw):
        return default
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _invalid(name, raw, "use true or false (1 or 0)")


def _absent(raw: str | None) -> bool:
    return raw is None or raw == ""


def _default(name: str, default: Any) -> Any:
    if default is _REQUIRED:
        raise InvalidInput(f"{name} is required.", extra={"field": name})
    return default


def _invalid(name: str, raw: str, rule: str) -> InvalidInput:
    shown = raw if len(raw) <= MAX_LENGTH else f"{raw[:MAX_LENGTH]}…"
    return InvalidInput(f"{name} {shown!r}: {rule}.", extra={"field": name})
