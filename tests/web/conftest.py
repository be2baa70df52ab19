"""Browser tests of the web interface: the real server (uvicorn in a thread, a temporary SQLite
database) and headless Chromium driven by Playwright, with every request checked to stay on
this machine.

Skipped with a visible reason when Chromium is not installed (``make pytest`` installs
Debian's package); ``CASPIAN_REQUIRE_BROWSER=1`` turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIEWPORT = {"width": 1280, "height": 800}


def _need_browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("CASPIAN_REQUIRE_BROWSER"):
            pytest.fail("chromium not installed (make pytest installs it)")
        pytest.skip("chromium not installed: the browser tests need it (make pytest installs it)")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """The running server: its address and a write token."""

    url: str
    token: str


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need_browser()
    import uvicorn

    from caspian.api.app import create_app
    from caspian.db import open_database
    from caspian.db.tokens import create_token

    folder = tmp_path_factory.mktemp("web-db")
    database_url = f"sqlite:///{folder / 'caspian.sqlite3'}"
    app = create_app(database_url=database_url)
    _, token = create_token(open_database(database_url), name="browser tests")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, name="caspian-test-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urlopen(f"{url}/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start within 30 s")
        time.sleep(0.1)
    yield Server(url=url, token=token)
    uv.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="session")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=_need_browser(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """Every URL the page asked for, and those refused because they left this machine."""

    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Any, server: Server, traffic: Traffic, tmp_path: Path) -> Iterator[Any]:
    """A fresh page; any request to a host other than this machine is refused and fails the test."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")

    def guard(route: Any) -> None:
        url = route.request.url
        traffic.requests.append(url)
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            traffic.refused.append(url)
            route.abort()

    context.route("**/*", guard)
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # a resource the page's Content-Security-Policy refused is a bug of the page
    pg.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
    assert not traffic.refused, f"requests left the server: {traffic.refused}"
    assert not errors, f"JavaScript errors on the page: {errors}"


class UI:
    """What a user does on the page: open it, pick places, paste the token."""

    def __init__(self, page: Any, server: Server) -> None:
        self.page = page
        self.server = server

    def open(self, *, lang: str = "en") -> None:
        """Load the interface and wait until it has its network, cargo and scenarios."""
        self.page.goto(f"{self.server.url}/?lang={lang}")
        self.page.wait_for_selector("body[data-ready=true]")

    def choose_place(self, selector: str, text: str) -> None:
        """Type into a place input and take the first suggestion (keyboard only)."""
        self.page.fill(selector, text)
        self.page.wait_for_selector(f"{selector} ~ .suggestions li")
        self.page.press(selector, "Enter")

    def set_token(self) -> None:
        """Paste the API token into the header's token form."""
        self.page.click("#token-box summary")
        self.page.fill("#token-input", self.server.token)
        self.page.click("#token-form button[type=submit]")
        self.page.wait_for_selector("#token-status.ok")  # the server accepted it

    def plan(self, origin: str, destination: str, *, cargo: str, tonnes: int) -> None:
        """Fill the plan form and plan; wait for the result."""
        self.choose_place("#plan-from", origin)
        self.choose_place("#plan-to", destination)
        self.page.select_option("#plan-cargo", cargo)
        self.page.fill("#plan-tonnes", str(tonnes))
        self.page.click("#plan-go")
        self.page.wait_for_selector("#plan-result:not([hidden])")
        self.page.wait_for_selector("#plan-busy[hidden]", state="attached")


@pytest.fixture
def ui(page: Any, server: Server) -> UI:
    return UI(page, server)
