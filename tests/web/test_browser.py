"""The interface in headless Chromium against the real server: plan in English and Persian,
build, save and reuse a scenario, run a simulation; no request leaves this machine."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from caspian.web import static_dir

from .conftest import UI, Traffic

PERSIAN_DIGIT = re.compile("[۰-۹]")
LATIN_DIGIT = re.compile("[0-9]")


def _catalog(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(
        (static_dir() / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
    )
    return data


def _number(text: str) -> float:
    """A number shown on the page, in Latin or Persian digits."""
    latin = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,"))
    return float(latin.replace(",", "").strip())


def test_plan_a_route_in_english(ui: UI, traffic: Traffic) -> None:
    page = ui.page
    ui.open(lang="en")
    assert page.get_attribute("html", "dir") == "ltr"
    ui.plan("Aktau", "Tehran", cargo="wheat", tonnes=1000)
    assert "Tehran" in page.inner_text("#plan-title")
    assert _number(page.inner_text("#plan-totals .total-cost")) > 0
    assert _number(page.inner_text("#plan-totals .total-days")) > 0
    assert page.locator("path.route-leg").count() >= 1  # the route is drawn on the map
    assert page.locator("#plan-legs tbody tr").count() >= 3
    assert page.locator("#chart-tcd-cost polyline.series").count() >= 1
    # downloads: the route as CSV with the query's settings, and the HTML report
    with page.expect_download() as download:
        page.click("#plan-result .downloads button[data-format=csv]")
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert "ir_tehran" in csv and "wheat" in csv
    report = page.request.get(ui.server.url + page.get_attribute("#plan-report", "href"))
    assert report.ok and "text/html" in report.headers["content-type"]
    # mode families side by side on one map, then the Pareto front
    page.click("#plan-compare")
    page.wait_for_selector("#plan-busy[hidden]", state="attached")
    assert page.locator("#plan-options tbody tr").count() == 5
    page.click("#plan-pareto")
    page.wait_for_selector("#chart-pareto circle.point")
    page.locator("#chart-pareto circle.point").first.click()
    page.wait_for_selector("#pareto-table tr.selected")
    # a scenario chosen for planning shows its network: covid-2020 closes Iran's crossings
    page.select_option("#plan-scenario", "covid-2020")
    page.wait_for_selector("path.net-node.status-closed")
    assert page.locator("path.net-node.status-closed").count() >= 5
    assert all(u.startswith("http://127.0.0.1:") for u in traffic.requests)


def test_plan_a_route_in_persian(ui: UI) -> None:
    page = ui.page
    fa = _catalog("fa")
    ui.open(lang="fa")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "fa"
    # mirrored layout: the panel is on the right of the map
    panel = page.locator("#panel").bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert panel and map_box and panel["x"] > map_box["x"]
    assert page.inner_text("#plan-go") == fa["plan.go"]
    ui.plan("انزلی", "باکو", cargo="tea", tonnes=20)
    title = page.inner_text("#plan-title")
    assert "انزلی" in title and "باکو" in title
    figures = page.locator("#plan-totals dd").all_inner_texts()
    assert len(figures) == 4
    assert all(PERSIAN_DIGIT.search(f) and not LATIN_DIGIT.search(f) for f in figures)
    assert fa["unit.usd"] in page.inner_text("#plan-totals")
    assert page.locator("path.route-leg").count() >= 1
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    assert page.evaluate("document.fonts.check('14px Vazirmatn', 'سلام')")
    # switching language re-labels the page and keeps the result
    page.click("[data-lang=en]")
    assert page.get_attribute("html", "dir") == "ltr"
    assert "Baku" in page.inner_text("#plan-title")


def test_unknown_place_shows_the_servers_message_and_closest_names(ui: UI) -> None:
    page = ui.page
    ui.open(lang="en")
    page.fill("#plan-from", "Anzalli")
    page.fill("#plan-to", "Baku")
    page.click("#plan-go")
    page.wait_for_selector("#plan-message:not([hidden])")
    assert "Anzalli" in page.inner_text("#plan-message")
    assert page.get_attribute("#plan-from", "aria-invalid") == "true"
    page.locator("#plan-message .suggest button").first.click()
    page.wait_for_selector("#plan-result:not([hidden])")


def _days(page: Any) -> float:
    return _number(page.inner_text("#plan-totals .total-days"))


def test_create_save_and_reuse_a_scenario(ui: UI) -> None:
    page = ui.page
    ui.open(lang="en")
    ui.set_token()
    for mode in ("rail", "sea", "rail_ferry", "truck_ferry"):
        page.uncheck(f"#plan-form input[name=modes][value={mode}]")
    ui.plan("Rasht", "Baku", cargo="rice", tonnes=20)
    before = _days(page)

    page.click("#tab-scenarios")
    page.click("#scenario-new")
    page.fill("#scenario-name", "astara-slow-road")
    page.fill("#scenario-description", "Astara road crossing takes 100 h towards Azerbaijan")
    # click the Astara road crossing on the map
    page.locator('path.net-node[data-id="bc_astara_road"]').dispatch_event("click")
    editor = page.locator("#scenario-feature")
    editor.wait_for()
    hours = editor.locator("input[type=number]").first  # road IR→AZ
    hours.fill("100")
    page.click("#scenario-feature-apply")
    assert "100" in page.inner_text("#scenario-changes")
    # the keyboard's way: pick the planned Rasht–Astara railway from the list and open it
    page.select_option("#scenario-pick", "link:rail_rasht_astara")
    page.select_option("#scenario-feature select", "open")
    page.click("#scenario-feature-apply")
    assert page.locator("#scenario-changes li").count() == 2
    page.click("#scenario-validate")
    page.wait_for_selector("#scenario-editor-status.ok")
    page.click("#scenario-save")
    page.wait_for_selector("#scenario-view:not([hidden])")
    page.wait_for_selector("#scenario-diff li")
    diff = page.inner_text("#scenario-diff")
    assert "clearance hours" in diff and "Iran → Azerbaijan" in diff and "100" in diff
    assert "astara-slow-road" in page.inner_text("#scenario-list")

    # reuse it: plan the same trip with the scenario
    page.click("#scenario-plan")
    page.wait_for_selector("#plan-busy[hidden]", state="attached")
    expect(page.locator("#plan-note")).to_contain_text("astara-slow-road")
    assert _days(page) > before

    # saved in the database: still there after a reload
    ui.open(lang="en")
    page.click("#tab-scenarios")
    assert "astara-slow-road" in page.inner_text("#scenario-list")


def test_run_a_short_simulation_and_use_its_clearance_times(ui: UI) -> None:
    page = ui.page
    ui.open(lang="en")
    ui.set_token()
    page.click("#tab-simulate")
    page.fill("#sim-days", "1")
    page.fill("#sim-replications", "1")
    page.fill("#lever-trucks_per_day", "400")
    page.click("#sim-run")
    page.wait_for_selector("#sim-result:not([hidden])", timeout=60_000)
    assert page.locator("#chart-queue polyline.series").count() >= 1
    assert page.locator("#chart-wait polyline.series").count() == 2
    assert "400" in page.inner_text("#sim-table caption")
    page.click("#sim-use")
    page.wait_for_selector("#panel-plan:not([hidden])")
    chosen = page.eval_on_selector("#plan-scenario", "s => s.selectedOptions[0].textContent")
    assert chosen.startswith("astara-simulated")


def test_writing_without_a_token_says_how_to_get_one(ui: UI) -> None:
    page = ui.page
    ui.open(lang="en")
    page.click("#token-box summary")
    page.fill("#token-input", "not-a-token")
    page.click("#token-form button[type=submit]")
    page.wait_for_selector("#token-status.bad")
    page.click("#token-clear")
    page.click("#tab-simulate")
    page.click("#sim-run")
    page.wait_for_selector("#sim-message:not([hidden])")
    assert "caspian token create" in page.inner_text("#sim-message")


def test_tabs_and_language_work_from_the_keyboard(ui: UI) -> None:
    page = ui.page
    ui.open(lang="en")
    page.focus("#tab-plan")
    page.keyboard.press("ArrowRight")
    assert page.is_visible("#panel-scenarios") and not page.is_visible("#panel-plan")
    assert page.evaluate("document.activeElement.id") == "tab-scenarios"
    page.keyboard.press("ArrowRight")
    assert page.is_visible("#panel-simulate")
    # the Flows tab shows only when the server has a flows endpoint
    paths = page.request.get(ui.server.url + "/api/v1/openapi.json").json()["paths"]
    assert page.is_visible("#tab-flows") == any(p.startswith("/api/v1/flows") for p in paths)
    page.focus("[data-lang=fa]")
    page.keyboard.press("Enter")
    assert page.get_attribute("html", "dir") == "rtl"
    # every input has a label
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea')]
             .filter(el => el.type !== 'hidden' && !el.labels?.length
                           && !el.getAttribute('aria-label'))
             .map(el => el.id || el.name)"""
    )
    assert unlabelled == []


def test_the_screenshot_script_runs(tmp_path: Path) -> None:
    """tools/web_screenshots.py (README pictures) runs; a process of its own, as Playwright's
    sync API runs once per thread."""
    import subprocess
    import sys

    from .conftest import CHROMIUM

    if CHROMIUM is None:
        pytest.skip("chromium not installed: the screenshot script needs it")
    script = Path(__file__).parents[2] / "tools" / "web_screenshots.py"
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    for name in ("web-plan.png", "web-plan-fa.png"):
        assert (tmp_path / name).stat().st_size > 50_000


def test_a_long_simulation_can_be_cancelled(ui: UI) -> None:
    page = ui.page
    ui.open(lang="en")
    ui.set_token()
    page.click("#tab-simulate")
    page.fill("#sim-days", "60")
    page.fill("#sim-replications", "20")
    page.click("#sim-run")
    page.wait_for_selector("#sim-cancel:not([hidden])")
    page.wait_for_selector("#sim-progress-box:not([hidden])")
    page.click("#sim-cancel")
    page.wait_for_selector("#sim-message:not([hidden])")
    assert "cancelled" in page.inner_text("#sim-message")
    assert page.is_hidden("#sim-progress-box")


def test_flows_tab_when_the_server_has_flows(ui: UI) -> None:
    page = ui.page
    ui.open(lang="fa")
    paths = page.request.get(ui.server.url + "/api/v1/openapi.json").json()["paths"]
    if not any(p.startswith("/api/v1/flows") for p in paths):
        assert page.is_hidden("#tab-flows")  # hidden, not a fake
        return
    page.click("#tab-flows")
    page.click("#flows-go")
    page.wait_for_selector("#flows-result:not([hidden])", timeout=60_000)
    assert page.locator("#flows-table tbody tr").count() >= 5
    assert page.locator("path.flow-link").count() >= 10
    assert PERSIAN_DIGIT.search(page.inner_text("#flows-summary"))
    page.click("#tab-plan")  # the flow map belongs to its tab
    assert page.locator("path.flow-link").count() == 0


def test_a_copy_of_a_shipped_scenario_keeps_what_the_editor_does_not_show(ui: UI) -> None:
    page = ui.page
    ui.open(lang="fa")
    ui.set_token()
    page.click("#tab-scenarios")
    page.click("#scenario-list button[data-id='covid-2020']")
    page.wait_for_selector("#scenario-diff li")
    assert re.search("[\u0600-\u06ff]", page.inner_text("#scenario-view-description"))
    page.click("#scenario-copy")
    page.fill("#scenario-name", "covid-2020-copy")
    page.click("#scenario-save")
    expect(page.locator("#scenario-view-name")).to_have_text("covid-2020-copy")
    api = ui.server.url + "/api/v1/scenarios"
    saved = next(s for s in page.request.get(api).json() if s["name"] == "covid-2020-copy")
    copy = page.request.get(f"{api}/{saved['id']}").json()["document"]
    original = page.request.get(f"{api}/covid-2020").json()["document"]
    for key in ("description_fa", "source", "assumptions", "borders"):
        assert copy[key] == original[key], key


def test_the_persian_page_shows_no_english_label(ui: UI) -> None:
    """Every label comes from the Persian catalog; Latin script is left only for names that
    are Latin in Persian text too (API, CO2e, ISO) and the English language button."""
    page = ui.page
    ui.open(lang="fa")
    allowed = {"API", "CO2e", "ISO", "CV", "English", "HTML", "JSON", "GeoJSON", "CSV"}
    allowed |= {"Natural", "Earth"}  # the basemap's name in its attribution
    # scenario names are identifiers (astara-digital-border), the same in every language
    scenarios = page.request.get(ui.server.url + "/api/v1/scenarios").json()
    allowed |= {w for s in scenarios for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", s["name"])}
    texts = [page.inner_text(".topbar"), page.inner_text("#panel-plan"), page.inner_text("#map")]
    page.click("#tab-simulate")
    page.click("#sim-levers details summary")
    texts.append(page.inner_text("#panel-simulate"))
    page.click("#tab-scenarios")
    page.click("#scenario-new")
    texts.append(page.inner_text("#scenario-editor"))
    latin = {w for text in texts for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", text)}
    assert latin <= allowed, sorted(latin - allowed)
