"""Readers and writers for the network tables."""

from __future__ import annotations

from caspian.io.tables import BUNDLED_DATA_DIR, load_network

__all__ = ["BUNDLED_DATA_DIR", "load_network"]
