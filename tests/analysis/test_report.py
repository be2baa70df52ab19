"""The HTML report is self-contained and renders in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from caspian.analysis.report import ReportInput, render_report
from caspian.model.network import Network
from caspian.routing.alternatives import alternative_routes
from caspian.routing.pareto import pareto_front

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _page(mini: Network) -> str:
    alts = alternative_routes(mini, "Lahijan", "Aktau", cargo="tea", tonnes=20, k=3)
    front = pareto_front(mini, "Lahijan", "Aktau", cargo="tea", tonnes=20)
    return render_report(
        ReportInput(
            title="Lahijan → Aktau",
            network=mini,
            routes=[(f"{i}", it) for i, it in enumerate(alts, 1)],
            front=front,
            baseline=alts[1],
        )
    )


def test_report_has_every_section_and_no_external_resources(mini: Network) -> None:
    page = _page(mini)
    for section in (
        "Map",
        "Itineraries",
        "Time/cost-distance",
        "Pareto front",
        "CAREC CPMM indicators",
        "before / after",
    ):
        assert section in page
    assert not re.search(r"(src|href)=['\"]?https?:", page)
    assert "<script" not in page
    assert page.count("<svg") >= 3  # map, TCD, Pareto


def test_report_renders_in_headless_chromium(mini: Network, tmp_path: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("CASPIAN_REQUIRE_BROWSER"):
            pytest.fail("chromium not installed (make setup installs it)")
        pytest.skip("chromium not installed; make setup installs it")
    from playwright.sync_api import sync_playwright

    html = tmp_path / "report.html"
    html.write_text(_page(mini), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html.as_uri())
        assert page.locator("svg.map polyline").count() >= 3
        box = page.locator("svg.map").bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 200
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert shot.stat().st_size > 20_000
    assert all(u.startswith("file:") or u.startswith("data:") for u in requests)


def _cli_report(tmp_path: Path, name: str, *extra: str) -> bytes:
    from typer.testing import CliRunner

    from caspian.cli import app

    out = tmp_path / name
    args = ["report", "--from", "Lahijan", "--to", "Aktau", "--cargo", "tea", "-o", str(out)]
    result = CliRunner().invoke(
        app, [*args, "--data", str(Path(__file__).parents[1] / "data" / "mini"), *extra]
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_report_and_charts_are_byte_identical_between_runs(tmp_path: Path, mini: Network) -> None:
    from caspian.analysis.charts import pareto_figure, save_figure

    assert _cli_report(tmp_path, "a.html") == _cli_report(tmp_path, "b.html")
    front = pareto_front(mini, "Lahijan", "Aktau", cargo="tea", tonnes=20)
    first, second = (save_figure(pareto_figure(front)) for _ in range(2))
    assert first == second
    assert b"<dc:date>" not in first and b"clip-path" in first


def test_persian_report_is_right_to_left_with_no_english_label(tmp_path: Path) -> None:
    from caspian.analysis.report_labels import LABELS

    page = _cli_report(tmp_path, "fa.html", "--lang", "fa").decode("utf-8")
    assert "<html lang='fa' dir='rtl'>" in page
    assert set(LABELS["fa"]) == set(LABELS["en"])
    english_only = [
        text
        for key, text in LABELS["en"].items()
        if text != LABELS["fa"][key] and key not in ("arrow",) and len(text) > 3
    ]
    visible = re.sub(r"<(style|title)>.*?</\1>", "", page, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", visible)
    fragments = [max(re.split(r"\{\w+\}", t), key=len).strip() for t in english_only]
    leaked = [
        f
        for f in fragments
        if f and f != "Caspian Gateway" and re.search(rf"\b{re.escape(f)}\b", visible)
    ]
    assert not leaked, leaked
    for word in ("نقشه", "گام", "شاخص‌های CPMM", "جبههٔ پارتو", "لاهیجان", "آکتائو"):
        assert word in page
    assert "<bdi>" in page  # numbers isolated from the right-to-left text around them
    assert 'direction="rtl"' in page  # map labels and legend run right to left
    assert "class='chart' dir='ltr'" in page  # charts keep their own layout
