"""Scenario descriptions and labels in Persian (``--lang fa``)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from caspian.cli import app
from caspian.errors import ScenarioError
from caspian.scenarios import builtin_names, load_scenario
from caspian.scenarios.schema import parse_scenario

runner = CliRunner()


def test_every_builtin_scenario_has_a_persian_description() -> None:
    for name in builtin_names():
        scn = load_scenario(name)
        assert scn.description_fa, name
        assert scn.describe("fa") == scn.description_fa
        assert scn.describe("en") == scn.description


def test_scenario_list_and_show_in_persian() -> None:
    out = runner.invoke(app, ["scenario", "list", "--lang", "fa"]).stdout
    assert "سناریوهای آماده" in out and "راه‌آهن" in out
    out = runner.invoke(app, ["scenario", "show", "covid-2020", "--lang", "fa"]).stdout
    assert "منبع:" in out and "فرض:" in out and "source:" not in out


def test_description_fa_must_be_text() -> None:
    with pytest.raises(ScenarioError, match="description_fa: must be text"):
        parse_scenario({"name": "x", "description_fa": ["a"]}, origin="x.yaml")
