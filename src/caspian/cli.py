"""The ``caspian`` command line (typer + rich). Thin: parse, call a service, render."""

from __future__ import annotations

import typer

app = typer.Typer(help="Caspian Gateway: multimodal freight through Gilan's corridors.")


@app.callback()
def _root() -> None:
    """Caspian Gateway command line."""


@app.command()
def version() -> None:
    """Print the version."""
    from caspian import __version__

    typer.echo(__version__)


def main() -> None:
    """Entry point of the console script."""
    app()
