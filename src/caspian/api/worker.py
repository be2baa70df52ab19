"""A run's own process: ``python -m caspian.api.worker`` reads ``{"kind", "params"}`` as JSON
on standard input and writes JSON lines on standard output: ``["progress", fraction,
message]`` as it goes, then ``["done", result]`` or ``["failed", message]``.

A fresh interpreter (not a fork of the threaded server) that imports nothing of the server,
so it can be stopped at any moment without harm. Anything else printed goes to standard error.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

__all__ = ["main"]


def _send(out: TextIO, *message: Any) -> None:
    out.write(json.dumps(message, ensure_ascii=False, allow_nan=False) + "\n")
    out.flush()


def main() -> int:
    """Run one job from standard input; the exit code is 0 when a final message was sent."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints must not corrupt the protocol
    sys.stdout = sys.stderr
    from caspian.api.jobs import run_kind
    from caspian.errors import CaspianError

    try:
        request = json.loads(sys.stdin.read())
        kind, params = str(request["kind"]), dict(request["params"])
    except (ValueError, KeyError, TypeError) as exc:
        _send(protocol, "failed", f"bad run request: {exc}")
        return 0
    try:
        result = run_kind(kind, params, lambda f, m: _send(protocol, "progress", f, m))
        _send(protocol, "done", result)
    except CaspianError as exc:
        _send(protocol, "failed", str(exc))
    except MemoryError:
        _send(protocol, "failed", "the run ran out of memory; try fewer days or replications")
    except Exception as exc:  # reported to the user; the server keeps running
        print(f"run failed: {exc!r}", file=sys.stderr)
        _send(protocol, "failed", f"the run stopped with an internal error ({type(exc).__name__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
