"""``caspian serve`` and ``caspian token``: checks, messages, exit codes; a real uvicorn server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from caspian.cli.main import app

runner = CliRunner()


def _db(tmp_path: Path) -> list[str]:
    return ["--database-url", f"sqlite:///{tmp_path / 'caspian.sqlite3'}"]


def test_token_create_list_revoke(tmp_path: Path) -> None:
    made = runner.invoke(app, ["token", "create", "--name", "laptop", *_db(tmp_path)])
    assert made.exit_code == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("cgw_") and len(token) > 40
    assert "shown only now" in made.stderr
    listed = runner.invoke(app, ["token", "list", *_db(tmp_path)])
    assert "laptop" in listed.stdout and "active" in listed.stdout and token not in listed.stdout
    stored = (tmp_path / "caspian.sqlite3").read_bytes()
    assert token.encode() not in stored  # only the hash is kept
    assert runner.invoke(app, ["token", "revoke", "1", *_db(tmp_path)]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["token", "list", *_db(tmp_path)]).stdout
    missing = runner.invoke(app, ["token", "revoke", "9", *_db(tmp_path)])
    assert missing.exit_code == 2 and "no token with id 9; token ids: 1" in missing.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--database-url", "mysql://u@h/db"], "unsupported database 'mysql'"),
        (["--database-url", "sqlite:////no/such/folder/x.db"], "folder of the SQLite file"),
        (["--port", "70000"], "--port must be from 1 to 65535"),
        (["--cors-origin", "elsewhere.example"], "--cors-origin must start with http"),
    ],
)
def test_serve_refuses_bad_options(tmp_path: Path, args: list[str], words: str) -> None:
    result = runner.invoke(app, ["serve", *_db(tmp_path), *args, "--check"])
    assert result.exit_code == 2 and words in result.stderr, result.stderr


def test_serve_check_reports_without_password(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", *_db(tmp_path), "--check"])
    assert result.exit_code == 0 and "database sqlite" in result.stdout
    down = runner.invoke(
        app, ["serve", "--database-url", "postgresql://me:secret@127.0.0.1:9/x", "--check"]
    )
    assert down.exit_code == 2 and "secret" not in down.stderr and "***" in down.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_uvicorn_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    cmd = [sys.executable, "-m", "caspian", "serve", "--port", str(port), *_db(tmp_path)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.2)
        assert r.json()["status"] == "ok"
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "html" in page.headers["content-type"]
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=20)
    assert "Caspian Gateway starting" in out
