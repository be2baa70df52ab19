"""Run every benchmark (``make bench``) and print their markdown tables."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    """Import each ``benchmarks/bench_*.py`` and call its ``main()``."""
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    only = set(sys.argv[1:])
    for name in names:
        if only and name not in only:
            continue
        print(f"\n<!-- {name} -->")
        importlib.import_module(f"benchmarks.{name}").main()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
