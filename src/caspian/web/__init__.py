"""The browser interface: a single-page app served by ``caspian serve`` at ``/``.

Everything the page needs (JavaScript, CSS, the Vazirmatn font, the Natural Earth basemap, the
message catalogs) is in ``static/``; nothing is fetched from the internet. See ``docs/web.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["static_dir"]


def static_dir() -> Path:
    """The folder of the single-page app (``index.html`` and its assets)."""
    return Path(str(resources.files("caspian.web") / "static"))
