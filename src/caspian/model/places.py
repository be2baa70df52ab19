"""Find places and commodities by id, English or Persian name, or alias.

Matching is exact after normalisation (case, accents, Persian letter variants, hyphens);
:func:`search_places` adds fuzzy matching for spelling variants. An unknown name is never
silently replaced by another: :func:`resolve_place` raises with the closest matches.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from caspian.errors import UnknownPlaceError, ValidationError
from caspian.model.network import Commodity, Network, Node

__all__ = [
    "MAX_NAME_CHARS",
    "PlaceMatch",
    "normalize_name",
    "resolve_commodity",
    "resolve_place",
    "search_places",
]

_PERSIAN_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "\u200c": " ",  # zero-width non-joiner
        "\u200d": "",
        "\u0640": "",  # tatweel
        "ı": "i",
        "İ": "i",
        "ə": "a",
        "Ə": "a",
        "’": "",
        "'": "",
        "ʼ": "",
        "`": "",
    }
)
MAX_NAME_CHARS = 200
"""Longest place name searched; longer input cannot be a name and is shown shortened."""

_SEPARATORS = re.compile(r"[\s\-_/.,()]+")


def normalize_name(text: str) -> str:
    """Fold a place name to a comparable key.

    Examples
    --------
    >>> normalize_name("Sowme'eh Sara")
    'sowmeeh sara'
    >>> normalize_name("Kapıkule") == normalize_name("kapikule")
    True
    >>> normalize_name("بندر انزلي") == normalize_name("بندر انزلی")
    True
    """
    folded = text.translate(_PERSIAN_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped.lower()).strip()


def _names(node: Node) -> list[str]:
    return [node.id, node.name_en, node.name_fa, *node.aliases]


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """One search hit: the node, the name that matched and a score (100 = exact)."""

    node: Node
    matched: str
    score: float

    def to_dict(self) -> dict[str, object]:
        """The hit as JSON-ready data (``caspian places --json`` and ``GET /places``)."""
        n = self.node
        return {
            "id": n.id,
            "name_en": n.name_en,
            "name_fa": n.name_fa,
            "country": n.country,
            "kind": n.kind,
            "lat": n.lat,
            "lon": n.lon,
            "matched": self.matched,
            "score": round(self.score, 1),
        }


def _index(nodes: Iterable[Node]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for node in nodes:
        for name in _names(node):
            key = normalize_name(name)
            if key:
                index.setdefault(key, set()).add(node.id)
    return index


@dataclass(frozen=True, slots=True)
class _NameIndex:
    """Normalised names of a network's nodes, built once per network object."""

    nodes: Mapping[str, Node]
    count: int
    exact: dict[str, set[str]]
    names: tuple[tuple[str, Node, str], ...]
    """``(normalised name, node, name)`` for every non-empty name, in node order."""


_INDEXES: weakref.WeakKeyDictionary[Network, _NameIndex] = weakref.WeakKeyDictionary()


def _name_index(network: Network) -> _NameIndex:
    """The name index of ``network``, cached per network object (weakly: no leak).

    The cache is checked against the network's ``nodes`` mapping and its size, so a
    mapping changed in place is indexed again rather than served stale.
    """
    cached = _INDEXES.get(network)
    if cached is not None and cached.nodes is network.nodes and cached.count == len(network.nodes):
        return cached
    nodes = list(network.nodes.values())
    index = _NameIndex(
        nodes=network.nodes,
        count=len(nodes),
        exact=_index(nodes),
        names=tuple(
            (normalize_name(name), node, name) for node in nodes for name in _names(node) if name
        ),
    )
    _INDEXES[network] = index
    return index


def search_places(network: Network, query: str, *, limit: int = 10) -> list[PlaceMatch]:
    """Search places by name in English, Persian or an alias, tolerant of spelling.

    Parameters
    ----------
    network
        The network whose nodes are searched.
    query
        Any spelling; an empty query lists every place.
    limit
        Maximum number of matches returned (≥ 1).

    Returns
    -------
    list of PlaceMatch
        Best first; exact matches score 100.

    Raises
    ------
    ValidationError
        For a ``limit`` that is not a whole number ≥ 1.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError(f"limit must be a whole number ≥ 1; got {limit!r:.40}")
    nodes = list(network.nodes.values())
    key = normalize_name(query)
    if not key:
        return [PlaceMatch(n, n.name_en, 100.0) for n in sorted(nodes, key=lambda n: n.id)][:limit]
    choices = _name_index(network).names
    keys = [c[0] for c in choices]
    hits = process.extract(key, keys, scorer=fuzz.WRatio, limit=len(keys), score_cutoff=60)
    best: dict[str, PlaceMatch] = {}
    for _, score, idx in hits:
        norm, node, name = choices[idx]
        exact_bonus = 100.0 if norm == key else (95.0 if key in norm.split() else 0.0)
        final = max(float(score), exact_bonus)
        if node.id not in best or final > best[node.id].score:
            best[node.id] = PlaceMatch(node, name, final)
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.node.id))
    return ranked[:limit]


def _contains_words(network: Network, key: str) -> set[str]:
    """Ids of nodes with a name holding ``key`` as whole words ("anzali" in "bandar anzali")."""
    if not key:
        return set()
    padded = f" {key} "
    return {node.id for norm, node, _ in _name_index(network).names if padded in f" {norm} "}


def resolve_place(network: Network, query: str) -> Node:
    """Return the node a name or id denotes, exactly and unambiguously.

    Raises
    ------
    UnknownPlaceError
        When the name matches no node, or several nodes; the error lists the closest
        matches as ``id (English name)``. A name longer than :data:`MAX_NAME_CHARS` is
        not searched and is shown shortened.
    ValidationError
        For an empty name.
    """
    if query in network.nodes:
        return network.nodes[query]
    if not isinstance(query, str) or not normalize_name(query):
        raise ValidationError(
            f"A place name is empty ({query!r:.40}); give an id or a name "
            "(list places with: caspian places QUERY)"
        )
    if len(query) > MAX_NAME_CHARS:
        shown = f"{query[:60]}… ({len(query):,} characters)"
        raise UnknownPlaceError(shown, [])
    ids = _name_index(network).exact.get(normalize_name(query), set())
    if len(ids) == 1:
        return network.nodes[next(iter(ids))]
    if not ids:
        ids = _contains_words(network, normalize_name(query))
        if len(ids) == 1:
            return network.nodes[next(iter(ids))]
    if len(ids) > 1:
        options = [f"{i} ({network.nodes[i].name_en})" for i in sorted(ids)]
        raise UnknownPlaceError(query, options, ambiguous=True)
    matches = search_places(network, query, limit=5)
    raise UnknownPlaceError(query, [f"{m.node.id} ({m.node.name_en})" for m in matches])


def resolve_commodity(commodities: Mapping[str, Commodity], query: str) -> Commodity:
    """Return the commodity named by id, English/Persian name, alias or HS code.

    Raises
    ------
    ValidationError
        When nothing matches; the message lists the valid commodity ids.
    """
    if query in commodities:
        return commodities[query]
    key = normalize_name(query)
    for com in commodities.values():
        names = [com.id, com.name_en, com.name_fa, com.hs_code, *com.aliases]
        if key and key in {normalize_name(n) for n in names if n}:
            return com
    raise ValidationError(
        f"Unknown cargo '{query}'. Valid cargo ids: {', '.join(sorted(commodities))}."
    )
