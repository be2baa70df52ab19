"""``caspian simulate ...`` commands (operations simulation)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Simulate operations at the Astara border and the Anzali / Caspian port.")
