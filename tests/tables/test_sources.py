"""Every citation tag in the bundled tables and scenarios is defined in SOURCES.md (issue #8)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

DATA = Path(__file__).parents[2] / "src" / "caspian" / "data" / "caspian"
SCENARIOS = Path(__file__).parents[2] / "src" / "caspian" / "scenarios" / "builtin"
SOURCES = (DATA / "SOURCES.md").read_text(encoding="utf-8")

FACTS = re.compile(r"caspian_facts(?:\.md|\.json| json)?(?:[^§;,)\"]{0,40}?§\s*(\d+(?:\.\d+)?))?")
SEED = re.compile(r"[Ss]eed articles?(?: (\d+))?")


def _cells() -> list[tuple[str, str]]:
    """(where, text) of every cell of the network tables and every builtin scenario's text."""
    out: list[tuple[str, str]] = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f), start=2):
                out += [(f"{path.name} row {i} {col}", v) for col, v in row.items() if v]
    for path in sorted(SCENARIOS.glob("*.yaml")):
        out.append((path.name, path.read_text(encoding="utf-8")))
    return out


CELLS = _cells()


def test_the_tables_cite_the_fact_sheet_and_the_seeds() -> None:
    text = " ".join(v for _, v in CELLS)
    assert len(FACTS.findall(text)) > 100 and SEED.search(text)


def test_no_citation_points_at_a_file_outside_the_repository() -> None:
    bad = [where for where, v in CELLS if "shared/" in v]
    assert bad == [], f"cite the fact sheet as `caspian_facts §N`, not by path: {bad[:5]}"


def test_every_fact_sheet_section_cited_is_defined() -> None:
    cited = {m for _, v in CELLS for m in FACTS.findall(v) if m}
    assert {"1", "2.1", "3.3", "3.4", "4"} <= cited
    missing = sorted(s for s in cited if f"`caspian_facts §{s}`" not in SOURCES)
    assert missing == [], f"SOURCES.md does not define caspian_facts §{missing}"


@pytest.mark.parametrize("tag", ["Seed article 1", "Seed article 2"])
def test_seed_articles_have_publisher_date_and_title(tag: str) -> None:
    row = next(line for line in SOURCES.splitlines() if line.startswith(f"| `{tag}`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == 5 and all(cells), row  # tag, publisher, date, title, content
    assert ("Mehr News Agency" in cells[1]) == (tag == "Seed article 2")


def test_every_seed_article_cited_is_defined() -> None:
    numbers = {m for _, v in CELLS for m in SEED.findall(v) if m}
    assert numbers <= {"1", "2"}, f"SOURCES.md defines Seed article 1 and 2 only, got {numbers}"
