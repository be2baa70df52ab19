"""Bounded YAML reading for files users write (scenarios, simulation configs).

:func:`load_yaml_file` reads through :func:`~caspian.io.files.read_user_text` (size cap,
folders, devices, non-UTF-8 refused) and :func:`load_yaml_text` parses with PyYAML's safe
loader, refusing what can make a small file cost unbounded memory or time:

* anchors and aliases (``&a`` / ``*a``), the "billion laughs" of nested aliases;
* nesting deeper than :data:`MAX_YAML_DEPTH` levels (no ``RecursionError``);
* values the constructor cannot build (a 10,000-digit integer, a date 2020-13-45).

Every message names the file and, where PyYAML knows it, the line, and never echoes more
than :data:`MAX_SHOWN_CHARS` characters of a value (see :func:`shorten`).
"""

from __future__ import annotations

import os
import reprlib
from typing import Any

import yaml
from yaml.events import AliasEvent, NodeEvent

from caspian.errors import ValidationError
from caspian.io.files import read_user_text

__all__ = [
    "MAX_SHOWN_CHARS",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "load_yaml_file",
    "load_yaml_text",
    "shorten",
]

MAX_YAML_BYTES = 1024 * 1024
"""Largest YAML file read (1 MiB); scenario and simulation files are a few KiB."""
MAX_YAML_DEPTH = 64
"""Deepest nesting of lists and mappings accepted; real files use 3 or 4 levels."""
MAX_SHOWN_CHARS = 80
"""Longest piece of a user's value echoed in a message."""

_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxstring = MAX_SHOWN_CHARS
_REPR.maxother = MAX_SHOWN_CHARS
_REPR.maxlong = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def shorten(value: object, *, limit: int = MAX_SHOWN_CHARS) -> str:
    """A ``repr`` of ``value`` cut to at most ``limit`` characters (``…`` marks the cut).

    Examples
    --------
    >>> len(shorten("x" * 500)) <= 80
    True
    >>> shorten(list(range(10_000)))
    '[0, 1, 2, 3, 4, 5, ...]'
    >>> shorten(1.5)
    '1.5'
    """
    try:
        text = _REPR.repr(value)
    except Exception:  # a repr that fails must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cut(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Refused(yaml.YAMLError):
    """An alias, anchor or nesting depth this loader refuses (with a line mark)."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.problem = message
        self.problem_mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases and anchors and nesting beyond a depth."""

    max_depth = MAX_YAML_DEPTH

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            raise _Refused(
                f"anchors and aliases are not allowed (found *{_cut(str(event.anchor), 40)}); "
                "write each value out",
                event.start_mark,
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise _Refused(
                f"anchors and aliases are not allowed (found &{_cut(str(event.anchor), 40)}); "
                "write each value out",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise _Refused(f"nested more than {self.max_depth} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml_text(text: str, *, origin: str, max_depth: int = MAX_YAML_DEPTH) -> Any:
    """Parse one YAML document safely (no aliases or anchors, bounded nesting).

    Parameters
    ----------
    text
        The YAML text.
    origin
        Where it came from, for messages (a file name).
    max_depth
        Deepest nesting of lists and mappings accepted.

    Returns
    -------
    Any
        The document (``None`` for an empty one).

    Raises
    ------
    ValidationError
        Bad YAML, an alias or anchor, too deep, or a value that cannot be built; the message
        names ``origin`` and the line.

    Examples
    --------
    >>> load_yaml_text("a: [1, 2]", origin="x.yaml")
    {'a': [1, 2]}
    >>> load_yaml_text("a: &x 1\\nb: *x", origin="x.yaml")
    Traceback (most recent call last):
    ...
    caspian.errors.ValidationError: x.yaml line 1: not accepted YAML: anchors and aliases are \
not allowed (found &x); write each value out
    """
    loader = _BoundedLoader(text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        what = f"{context}, {problem}" if context and not isinstance(exc, _Refused) else problem
        kind = "not accepted YAML" if isinstance(exc, _Refused) else "not valid YAML"
        raise ValidationError(f"{origin}{line}: {kind}: {_cut(str(what))}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # the constructor builds ints, floats and dates with Python's own parsers
        why = str(exc)
        if "integer string conversion" in why:
            why = "a number has more than 4,300 digits"
        raise ValidationError(f"{origin}: a value cannot be read: {_cut(why)}") from None
    finally:
        loader.dispose()


def load_yaml_file(
    path: str | os.PathLike[str],
    *,
    what: str,
    max_bytes: int = MAX_YAML_BYTES,
    max_depth: int = MAX_YAML_DEPTH,
) -> Any:
    """Read and parse a YAML file a user named, with every bound of :func:`load_yaml_text`.

    Parameters
    ----------
    path
        The file.
    what
        What the file is, for messages (``"scenario file"``, ``"--config"``).
    max_bytes
        Refuse larger files.
    max_depth
        Deepest nesting accepted.

    Raises
    ------
    ValidationError
        Missing, a folder or device, too large, not UTF-8, or not accepted YAML.
    """
    text = read_user_text(path, what=what, max_bytes=max_bytes)
    return load_yaml_text(text, origin=f"{what} {os.fspath(path)}", max_depth=max_depth)
