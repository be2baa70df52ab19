"""The interface's files, without a browser: catalogs complete in both languages, every label
the page uses present in them, nothing that reaches the internet, assets bundled with their
licences, the basemap the package's own Natural Earth outline."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from caspian.io.tables import load_network
from caspian.model.network import MODES
from caspian.routing.families import FAMILIES
from caspian.simulation.config import BorderConfig
from caspian.web import static_dir

STATIC = static_dir()
OWN_CODE = [STATIC / "index.html", STATIC / "app.js", STATIC / "app.css", *STATIC.glob("js/*.js")]
MAX_BYTES = 5 * 1024 * 1024


def _catalog(lang: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(
        (STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
    )
    return data


def test_both_catalogs_have_the_same_keys_and_no_empty_text() -> None:
    en, fa = _catalog("en"), _catalog("fa")
    assert set(en) == set(fa)
    assert all(v.strip() for v in [*en.values(), *fa.values()])
    # slots such as {from} are the same in both languages
    for key in en:
        assert set(re.findall(r"\{\w+\}", en[key])) == set(re.findall(r"\{\w+\}", fa[key])), key
    # Persian text is Persian: most values use Arabic script
    persian = [v for v in fa.values() if re.search("[\u0600-\u06ff]", v)]
    assert len(persian) > 0.9 * len(fa)


def _used_keys() -> set[str]:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    keys = set(re.findall(r'data-i18n(?:-[a-z-]+)?="([^"]+)"', html))
    for path in [STATIC / "app.js", *STATIC.glob("js/*.js")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z0-9_.+]+)"', text))
        keys |= set(re.findall(r'"((?:totals|scenario|field|sim|plan)\.[a-z_]+)"', text))
    return keys


def test_every_label_the_page_uses_is_in_both_catalogs() -> None:
    used = _used_keys()
    assert len(used) > 100
    for lang in ("en", "fa"):
        missing = sorted(used - set(_catalog(lang)))
        assert not missing, f"{lang}.json lacks {missing}"


def test_catalogs_name_every_mode_kind_family_country_and_lever() -> None:
    network = load_network()
    basemap = json.loads((STATIC / "basemap" / "region.geojson").read_text(encoding="utf-8"))
    needed = {f"mode.{m}" for m in MODES}
    needed |= {f"kind.{n.kind}" for n in network.nodes.values()}
    needed |= {f"family.{f.name}" for f in FAMILIES}
    needed |= {
        f"country.{f['properties']['iso_a2']}"
        for f in basemap["features"]
        if f["properties"]["iso_a2"]
    }
    needed |= {
        f"lever.{f.name}"
        for f in fields(BorderConfig)
        if f.type in ("float", "int", "bool", float, int, bool)
    }
    needed |= {f"status.{s}" for s in ("open", "planned", "closed")}
    for lang in ("en", "fa"):
        assert not sorted(needed - set(_catalog(lang))), lang


@pytest.mark.parametrize("path", OWN_CODE, ids=lambda p: p.name)
def test_no_file_of_the_page_points_at_the_internet(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")  # a name
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path
    assert "@import" not in text


def test_vendored_css_loads_only_bundled_files() -> None:
    for css in STATIC.glob("vendor/**/*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            url = url.strip("'\"")
            local = url.startswith(("data:", "#")) or (css.parent / url).is_file()
            assert local, (css, url)


def test_every_asset_the_page_loads_is_bundled() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="([^"#]+)"', html)
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    refs += re.findall(r'url\("([^"]+)"\)', css)
    local = [r for r in refs if not r.startswith("data:")]
    assert len(local) >= 5
    for ref in local:
        assert (STATIC / ref).is_file(), ref
    for module in [STATIC / "app.js", *STATIC.glob("js/*.js")]:
        for ref in re.findall(r'from "(\.[^"]+)"', module.read_text(encoding="utf-8")):
            assert (module.parent / ref).resolve().is_file(), (module, ref)


def test_vendored_libraries_carry_their_licences_and_stay_small() -> None:
    for name in ("leaflet", "vazirmatn"):
        folder = STATIC / "vendor" / name
        assert (folder / "LICENSE").stat().st_size > 500
        assert (folder / "VERSION").read_text(encoding="utf-8").startswith(name)
    assert "Open Font License" in (STATIC / "vendor/vazirmatn/LICENSE").read_text(encoding="utf-8")
    total = sum(p.stat().st_size for p in STATIC.rglob("*") if p.is_file())
    assert total < MAX_BYTES, total


def test_basemap_is_the_packages_natural_earth_outline() -> None:
    package = Path(__file__).parents[2] / "src" / "caspian" / "data" / "geo" / "region.geojson"
    assert (STATIC / "basemap" / "region.geojson").read_bytes() == package.read_bytes()
