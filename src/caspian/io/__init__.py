"""Readers and writers for the network tables.

``load_network`` and ``BUNDLED_DATA_DIR`` are imported on first use (PEP 562), so importing
a sibling module such as :mod:`caspian.io.files` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caspian.io.tables import BUNDLED_DATA_DIR, load_network

__all__ = ["BUNDLED_DATA_DIR", "load_network"]


def __getattr__(name: str) -> Any:
    """Import ``load_network`` / ``BUNDLED_DATA_DIR`` from :mod:`caspian.io.tables` on use."""
    if name in __all__:
        from caspian.io import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'caspian.io' has no attribute {name!r}")
