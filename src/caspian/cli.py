"""The ``caspian`` command line (typer + rich). Thin: parse, call a service, render."""

from __future__ import annotations

import typer

from caspian.cli_simulate import app as simulate_app

app = typer.Typer(help="Caspian Gateway: multimodal freight through Gilan's corridors.")
app.add_typer(simulate_app, name="simulate")


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
