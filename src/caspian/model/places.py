"""Find places and commodities by id, English or Persian name, or alias.

Matching is exact after normalisation (case, accents, Persian letter variants, hyphens);
:func:`search_places` adds fuzzy matching for spelling variants. An unknown name is never
silently replaced by another: :func:`resolve_place` raises with the closest matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from caspian.errors import UnknownPlaceError, ValidationError
from caspian.model.network import Commodity, Network, Node

__all__ = ["PlaceMatch", "normalize_name", "resolve_commodity", "resolve_place", "search_places"]

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


def _index(nodes: Iterable[Node]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for node in nodes:
        for name in _names(node):
            key = normalize_name(name)
            if key:
                index.setdefault(key, set()).add(node.id)
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
        Maximum number of matches returned.

    Returns
    -------
    list of PlaceMatch
        Best first; exact matches score 100.
    """
    nodes = list(network.nodes.values())
    key = normalize_name(query)
    if not key:
        return [PlaceMatch(n, n.name_en, 100.0) for n in sorted(nodes, key=lambda n: n.id)][:limit]
    choices: list[tuple[str, Node, str]] = [
        (normalize_name(name), node, name) for node in nodes for name in _names(node) if name
    ]
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
    return {
        node.id
        for node in network.nodes.values()
        if any(padded in f" {normalize_name(name)} " for name in _names(node) if name)
    }


def resolve_place(network: Network, query: str) -> Node:
    """Return the node a name or id denotes, exactly and unambiguously.

    Raises
    ------
    UnknownPlaceError
        When the name matches no node, or several nodes; the error lists the closest
        matches as ``id (English name)``.
    """
    if query in network.nodes:
        return network.nodes[query]
    ids = _index(network.nodes.values()).get(normalize_name(query), set())
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
