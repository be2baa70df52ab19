"""One error tree for Caspian Gateway.

Every error inherits both :class:`CaspianError` and the closest built-in, so callers
can catch either (``except LookupError`` or ``except CaspianError``).
"""

from __future__ import annotations

__all__ = [
    "CaspianError",
    "DataError",
    "NoRouteError",
    "ScenarioError",
    "UnknownPlaceError",
    "ValidationError",
]


class CaspianError(Exception):
    """Base class of every error raised by Caspian Gateway."""


class ValidationError(ValueError, CaspianError):
    """An input value is malformed or outside its valid range."""


class DataError(ValidationError):
    """A bundled or user-supplied data table is invalid.

    Parameters
    ----------
    message
        What is wrong and what would be valid.
    file, row, column
        Where the problem is; ``row`` counts data rows from 1 as a spreadsheet shows
        them (header is row 1, so the first data row is row 2).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        where = []
        if file is not None:
            where.append(file)
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class UnknownPlaceError(LookupError, CaspianError):
    """A place name or id matches no node; ``suggestions`` holds the closest matches."""

    def __init__(self, query: str, suggestions: list[str], *, ambiguous: bool = False) -> None:
        self.query = query
        self.suggestions = suggestions
        self.ambiguous = ambiguous
        if ambiguous:
            text = f"Place '{query}' is ambiguous; it names: {', '.join(suggestions)}. Use an id."
        else:
            hint = f" Closest matches: {', '.join(suggestions)}." if suggestions else ""
            text = f"Unknown place '{query}'.{hint} List places with: caspian places QUERY"
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.args[0])


class NoRouteError(LookupError, CaspianError):
    """No itinerary satisfies the request; the message says why."""

    def __str__(self) -> str:
        return str(self.args[0])


class ScenarioError(ValidationError):
    """A scenario file is malformed or names something that does not exist."""
