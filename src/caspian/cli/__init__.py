"""The ``caspian`` command line: one front door (:data:`app`) and its entry point :func:`main`.

Modules: ``main`` (the app and planning commands), ``analysis`` (charts, criticality,
report), ``calibrate``, ``simulate``, ``demo``, ``common`` (options and error handling)
and ``render`` (tables and JSON).
"""

from caspian.cli.main import app, main

__all__ = ["app", "main"]
