"""Sentences an engine builds once and an interface shows in English or Persian.

An engine that explains something (why no route exists, what a scenario changed) returns a
:class:`Text`: a ``str`` holding the English sentence, so every caller that treats it as
text keeps working unchanged, which also remembers its English and Persian templates and
the values filled in. An interface that speaks Persian calls :func:`localize` on it. Values
that differ by language are :class:`Name` (a place, cargo or mode name), nested
:class:`Text`, or lists of them; numbers are formatted the same in both languages (Latin
digits, as the command line's catalog does).

Examples
--------
>>> t = Text("{n} h to {place}", "{n} ساعت تا {place}", n=3, place=Name("Rasht", "رشت"))
>>> t
'3 h to Rasht'
>>> localize(t, "fa")
'3 ساعت تا رشت'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

__all__ = ["MODE_NAMES_FA", "Name", "Text", "join_text", "localize", "mode_name", "node_name"]

MODE_NAMES_FA: Final[dict[str, str]] = {
    "road": "جاده",
    "rail": "راه‌آهن",
    "sea": "دریا",
    "rail_ferry": "فری ریلی",
    "truck_ferry": "فری کامیون",
    "rail_1435": "راه‌آهن ۱۴۳۵",
    "rail_1520": "راه‌آهن ۱۵۲۰",
}
"""Persian names of the modes and layers (the same words as the command line's catalog)."""

_LIST_SEP: Final = {"en": ", ", "fa": "، "}


@dataclass(frozen=True, slots=True)
class Name:
    """A name that differs by language (``fa`` falls back to ``en`` when empty)."""

    en: str
    fa: str = ""

    def __str__(self) -> str:
        return self.en

    def __format__(self, spec: str) -> str:
        return format(self.en, spec)

    def in_lang(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.fa if lang == "fa" and self.fa else self.en


class _Named(Protocol):
    @property
    def name_en(self) -> str: ...
    @property
    def name_fa(self) -> str: ...


def node_name(node: _Named, *, suffix: str = "") -> Name:
    """A node's (or commodity's) name in both languages, with an optional ``suffix``."""
    return Name(node.name_en + suffix, (node.name_fa or node.name_en) + suffix)


def mode_name(mode: str) -> Name:
    """A mode's or layer's name: its id in English (``rail_ferry``), ``فری ریلی`` in Persian."""
    return Name(mode, MODE_NAMES_FA.get(mode, mode))


def _value(value: object, lang: str) -> object:
    if isinstance(value, Text | Name):
        return value.in_lang(lang)
    if isinstance(value, list | tuple):
        return _LIST_SEP.get(lang, ", ").join(str(_value(v, lang)) for v in value)
    return value


def _fill(template: str, lang: str, values: Mapping[str, object]) -> str:
    return template.format(**{k: _value(v, lang) for k, v in values.items()})


def _rebuild(en: str, fa: str, values: dict[str, Any]) -> Text:
    return Text(en, fa, **values)


class Text(str):
    """An English sentence (this ``str``) that can be rendered in Persian too.

    Parameters
    ----------
    en, fa
        ``str.format`` templates of the sentence in English and Persian.
    **values
        What fills the templates: numbers and strings (the same in both languages),
        :class:`Name`, nested :class:`Text`, or lists and tuples of them (joined with a
        comma of the language).
    """

    templates: tuple[str, str]
    values: dict[str, object]

    def __new__(cls, en: str, fa: str, /, **values: object) -> Text:
        obj = super().__new__(cls, _fill(en, "en", values))
        obj.templates = (en, fa)
        obj.values = dict(values)
        return obj

    def __str__(self) -> str:
        # keep the templates when a caller does str(text), e.g. str(NoRouteError(text))
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (*self.templates, self.values))

    def in_lang(self, lang: str) -> str:
        """The sentence in ``lang`` (``en`` or ``fa``; English for any other)."""
        if lang != "fa":
            return str.__str__(self)
        return _fill(self.templates[1], lang, self.values)


def localize(value: object, lang: str) -> str:
    """``value`` in ``lang``: a :class:`Text` or :class:`Name` rendered, anything else ``str``."""
    if isinstance(value, Text | Name):
        return value.in_lang(lang)
    return str(value)


def join_text(parts: Iterable[str], en_sep: str, fa_sep: str) -> Text:
    """Join sentences (a :class:`Text` keeps its Persian) with a separator per language."""
    items = list(parts)
    keys = [f"p{i}" for i in range(len(items))]
    return Text(
        en_sep.join(f"{{{k}}}" for k in keys),
        fa_sep.join(f"{{{k}}}" for k in keys),
        **dict(zip(keys, items, strict=True)),
    )
