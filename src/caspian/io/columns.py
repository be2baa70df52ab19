"""Typed column parsers for CSV tables: each turns a cell into a value or says what is valid."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CellError", "Column", "boolean", "choice", "gauges", "ident", "number", "text"]

_ID = re.compile(r"^[a-z0-9_]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class CellError(ValueError):
    """A cell value is invalid; the message says what would be valid."""


Parser = Callable[[str], Any]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table: name, parser and whether an empty cell is allowed."""

    name: str
    parse: Parser
    required: bool = True
    default: Any = None


def text(value: str) -> str:
    """Any non-empty text."""
    return value


def ident(value: str) -> str:
    """A lowercase id of letters, digits and underscores."""
    if not _ID.match(value):
        raise CellError("expected an id of lowercase letters, digits and '_' (e.g. ir_anzali)")
    return value


def country(*, wildcard: bool = False) -> Parser:
    """An ISO 3166-1 alpha-2 code (and ``*`` when ``wildcard``)."""

    def parse(value: str) -> str:
        if wildcard and value == "*":
            return value
        if not _COUNTRY.match(value):
            extra = " or '*' for any country" if wildcard else ""
            raise CellError(f"expected an ISO 3166-1 alpha-2 code such as IR, AZ, KZ{extra}")
        return value

    return parse


def choice(options: Sequence[str]) -> Parser:
    """One of ``options``."""

    def parse(value: str) -> str:
        if value not in options:
            raise CellError(f"expected one of: {', '.join(options)}")
        return value

    return parse


def number(
    *, minimum: float | None = None, exclusive_min: bool = False, maximum: float | None = None
) -> Parser:
    """A finite number within optional bounds."""

    def parse(value: str) -> float:
        try:
            out = float(value.replace("_", ""))
        except ValueError:
            raise CellError("expected a number") from None
        if not math.isfinite(out):
            raise CellError("expected a finite number")
        if minimum is not None and (out <= minimum if exclusive_min else out < minimum):
            op = ">" if exclusive_min else "≥"
            raise CellError(f"expected a number {op} {minimum:g}")
        if maximum is not None and out > maximum:
            raise CellError(f"expected a number ≤ {maximum:g}")
        return out

    return parse


def boolean(value: str) -> bool:
    """``yes``/``no`` (also true/false, 1/0)."""
    folded = value.lower()
    if folded in ("yes", "true", "1", "y"):
        return True
    if folded in ("no", "false", "0", "n"):
        return False
    raise CellError("expected yes or no")


def gauges(value: str) -> tuple[int, ...]:
    """A rail gauge: 1435, 1520 or ``1435/1520`` for dual gauge."""
    parts = [p.strip() for p in value.split("/")]
    if not parts or any(p not in ("1435", "1520") for p in parts) or len(set(parts)) != len(parts):
        raise CellError("expected 1435, 1520 or 1435/1520 (dual gauge)")
    return tuple(sorted(int(p) for p in parts))


def aliases(value: str) -> tuple[str, ...]:
    """A ``;``-separated list of names."""
    return tuple(a.strip() for a in value.split(";") if a.strip())
