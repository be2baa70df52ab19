"""Screenshots of the web interface for the README: docs/img/web-plan.png and web-plan-fa.png.

Run from the repository root (needs Chromium, e.g. Debian's ``chromium`` package)::

    .venv/bin/python tools/web_screenshots.py [FOLDER]     # default: docs/img

It starts the real server on a free local port with a temporary SQLite database, plans
Aktau → Tehran (1,000 t of wheat, with alternatives) in English and compares the mode families
for Lahijan → Almaty (20 t of tea) in Persian, and saves a 1280×800 screenshot of each. Every
request the page makes is checked to stay on this machine.
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _serve(folder: Path) -> tuple[str, object]:
    import uvicorn

    from caspian.api.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(database_url=f"sqlite:///{folder / 'caspian.sqlite3'}")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urlopen(f"{url}/api/v1/health", timeout=2):
                return url, server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def _place(page: object, selector: str, text: str) -> None:
    page.fill(selector, text)  # type: ignore[attr-defined]
    page.wait_for_selector(f"{selector} ~ .suggestions li")  # type: ignore[attr-defined]
    page.press(selector, "Enter")  # type: ignore[attr-defined]


def main(out: Path = OUT) -> int:
    """Write the two screenshots into ``out``; 0 on success, 1 if a request left, 2 no browser."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        url, server = _serve(Path(tmp))
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        outside: list[str] = []

        def guard(route: object) -> None:
            address = route.request.url  # type: ignore[attr-defined]
            if urlsplit(address).hostname in ("127.0.0.1", "localhost") or address.startswith(
                ("data:", "blob:")
            ):
                route.continue_()  # type: ignore[attr-defined]
            else:
                outside.append(address)
                route.abort()  # type: ignore[attr-defined]

        context.route("**/*", guard)
        page = context.new_page()

        page.goto(f"{url}/?lang=en")
        page.wait_for_selector("body[data-ready=true]")
        _place(page, "#plan-from", "Aktau")
        _place(page, "#plan-to", "Tehran")
        page.select_option("#plan-cargo", "wheat")
        page.fill("#plan-tonnes", "1000")
        page.fill("#plan-alternatives", "3")
        page.click("#plan-go")
        page.wait_for_selector("#plan-result:not([hidden])")
        page.wait_for_timeout(600)  # let the map finish its zoom animation
        page.screenshot(path=str(out / "web-plan.png"))

        page.goto(f"{url}/?lang=fa")
        page.wait_for_selector("body[data-ready=true]")
        _place(page, "#plan-from", "لاهیجان")
        _place(page, "#plan-to", "آلماتی")
        page.select_option("#plan-cargo", "tea")
        page.click("#plan-compare")
        page.wait_for_selector("#plan-result:not([hidden])")
        page.wait_for_timeout(600)
        page.evaluate("document.querySelector('#plan-result').scrollIntoView()")
        page.screenshot(path=str(out / "web-plan-fa.png"))

        browser.close()
        server.should_exit = True  # type: ignore[attr-defined]
    if outside:
        print(f"error: requests left the machine: {outside}", file=sys.stderr)
        return 1
    print(f"wrote {out / 'web-plan.png'} and {out / 'web-plan-fa.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
