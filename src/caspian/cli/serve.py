"""``caspian serve`` (the web application) and ``caspian token`` (write tokens for its API).

Imported only when these commands run (``common.LAZY_GROUPS``), so FastAPI, uvicorn and
SQLAlchemy never slow down the other commands.
"""

from __future__ import annotations

from typing import Annotated

import typer

from caspian.cli.common import handles_errors
from caspian.errors import ValidationError

__all__ = ["serve_app", "token_app"]

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        metavar="URL",
        help="sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/DB "
        "(default: a SQLite file in your user data folder).",
    ),
]

serve_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
token_app = typer.Typer(
    help="Write tokens for the web API: create, list, revoke.\n\n"
    "Example: caspian token list --database-url sqlite:///caspian.sqlite3",
    no_args_is_help=True,
)


def _where(url: str | None) -> str:
    from sqlalchemy.engine import make_url

    from caspian.db import default_database_url

    try:
        return make_url(url or default_database_url()).render_as_string(hide_password=True)
    except Exception:  # shown only; the engine reports a bad URL itself
        return "the given database"


@serve_app.callback()
@handles_errors
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", help="TCP port (1-65535).")] = 8000,
    database_url: DatabaseOpt = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            metavar="URL",
            help="Let pages of this origin call the API (repeatable; default: none).",
        ),
    ] = None,
    run_workers: Annotated[
        int, typer.Option("--run-workers", metavar="N", help="Runs working at once (1-16).")
    ] = 2,
    run_time_limit: Annotated[
        float,
        typer.Option("--run-time-limit", metavar="SECONDS", help="Longest a run may take."),
    ] = 600.0,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Open and migrate the database, load the network and the interface, "
            "then exit without serving.",
        ),
    ] = False,
) -> None:
    """Start the web application: the map interface at / and the JSON API at /api/v1.

    Runs offline on the bundled data. Reading is open; writing (scenarios, runs) needs a
    token from 'caspian token create'. Stop it with Ctrl+C.

    Example: caspian serve --database-url sqlite:///caspian.sqlite3 --check
    """
    from caspian.api import Settings, create_app

    if not 1 <= port <= 65535:
        raise ValidationError(f"--port must be from 1 to 65535; got {port}")
    if not 1 <= run_workers <= 16:
        raise ValidationError(f"--run-workers must be from 1 to 16; got {run_workers}")
    if not 1 <= run_time_limit <= 86_400:
        raise ValidationError(
            f"--run-time-limit must be from 1 to 86400 seconds; got {run_time_limit:g}"
        )
    for origin in cors_origin or []:
        if not origin.startswith(("http://", "https://")):
            raise ValidationError(
                f"--cors-origin must start with http:// or https://; got {origin}"
            )
    settings = Settings(
        cors_origins=tuple(cors_origin or ()),
        run_workers=run_workers,
        run_time_limit_s=run_time_limit,
    )
    app = create_app(database_url=database_url, settings=settings)
    state = app.state.caspian
    ui = (
        "bundled"
        if settings.static_dir and (settings.static_dir / "index.html").is_file()
        else ("not bundled (API only)")
    )
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(
        f"Caspian Gateway {'ready' if check else 'starting'}: http://{shown_host}:{port}/ "
        f"(interface {ui}; database {state.database}: {_where(database_url)})"
    )
    if check:
        state.engine.dispose()
        return
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)


def _engine(database_url: str | None):  # type: ignore[no-untyped-def]
    from caspian.db import open_database

    return open_database(database_url)


@token_app.command("create")
@handles_errors
def token_create(
    name: Annotated[
        str, typer.Option("--name", metavar="TEXT", help="Who or what uses it, e.g. 'laptop'.")
    ],
    database_url: DatabaseOpt = None,
) -> None:
    """Make a write token and print it once (only its SHA-256 hash is stored).

    Example: caspian token create --name laptop --database-url sqlite:///caspian.sqlite3
    """
    from caspian.db.tokens import create_token

    info, token = create_token(_engine(database_url), name=name)
    typer.echo(token)
    typer.echo(
        f"token {info.id} ({info.name}) created in {_where(database_url)}; it is shown only "
        "now. Send it as 'Authorization: Bearer <token>'.",
        err=True,
    )


@token_app.command("list")
@handles_errors
def token_list(database_url: DatabaseOpt = None) -> None:
    """List the tokens: id, name, when made, whether revoked (never the tokens).

    Example: caspian token list --database-url sqlite:///caspian.sqlite3
    """
    from caspian.db.tokens import list_tokens

    tokens = list_tokens(_engine(database_url))
    if not tokens:
        typer.echo("no tokens yet; make one with: caspian token create --name NAME")
        return
    for t in tokens:
        state = "active" if t.active else f"revoked {t.revoked_at:%Y-%m-%d %H:%M} UTC"
        typer.echo(f"{t.id}\t{t.name}\tcreated {t.created_at:%Y-%m-%d %H:%M} UTC\t{state}")


@token_app.command("revoke")
@handles_errors
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (token list).")],
    if_exists: Annotated[
        bool,
        typer.Option("--if-exists", help="Succeed quietly when there is no such token."),
    ] = False,
    database_url: DatabaseOpt = None,
) -> None:
    """Revoke a token: requests with it are refused from now on.

    Example: caspian token revoke 1 --if-exists --database-url sqlite:///caspian.sqlite3
    """
    from caspian.db.tokens import list_tokens, revoke_token

    engine = _engine(database_url)
    if if_exists and token_id not in {t.id for t in list_tokens(engine)}:
        typer.echo(f"no token {token_id}; nothing to revoke")
        return
    info = revoke_token(engine, token_id)
    typer.echo(f"token {info.id} ({info.name}) revoked")
