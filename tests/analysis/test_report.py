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
