"""Every command shown in README.md and docs/*.md runs, with the exit code it states."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caspian.cli import app

README = Path(__file__).parents[1] / "README.md"
DOCS = sorted((Path(__file__).parents[1] / "docs").glob("*.md"))
"""The user guides: their ``console`` blocks run here too."""


def _commands() -> list[tuple[list[str], int]]:
    out = []
    text = "\n".join(p.read_text("utf-8") for p in (README, *DOCS))
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if not line.startswith("$ caspian "):
                continue
            code = 0
            m = re.search(r"#\s*exit (\d)", line)
            if m:
                code = int(m.group(1))
                line = line[: m.start()]
            out.append((shlex.split(line, comments=True)[2:], code))
    return out


COMMANDS = _commands()


def test_readme_has_examples() -> None:
    assert len(COMMANDS) >= 20


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readme")


@pytest.mark.parametrize(("args", "code"), COMMANDS, ids=[" ".join(a)[:60] for a, _ in COMMANDS])
def test_readme_command(args: list[str], code: int, workdir: Path) -> None:
    here = Path.cwd()
    os.chdir(workdir)  # outputs (-o, --write-scenario) land in a temporary folder, in order
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(here)
    assert result.exit_code == code, result.output + (result.stderr or "")
    assert (result.stdout or result.stderr).strip()
