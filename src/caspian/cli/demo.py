"""``caspian demo``: the seed articles' headline comparisons, computed on the bundled data.

(a) Istanbul → Turkmenbashi and → Ashgabat: rail into Iran + the Caspian Port + ship,
    against all road and against rail via Incheh Borun or Sarakhs;
(b) 1,000 t of wheat Aktau → Tehran: ship via Anzali or the Caspian Port against rail via
    Turkmenistan;
(c) 20 t of tea Lahijan → Almaty and → Aktau, best route of each mode family.

Nothing is tuned for the answer: each row is the planner's optimum under that row's
constraints, and the verdict names whichever option the data makes cheapest, fastest and
cleanest — road included.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from rich.console import Console
from rich.table import Table

from caspian.errors import NoRouteError, UnknownPlaceError
from caspian.model.network import Network, Node
from caspian.model.places import normalize_name
from caspian.routing.families import FAMILIES, ModeFamily
from caspian.routing.itinerary import Itinerary
from caspian.routing.search import RouteOptions, plan_route
from caspian.routing.uncertainty import Comparison

__all__ = ["DemoRow", "DemoTable", "demo_tables", "render_demo"]

_FAMILY = {f.name: f for f in FAMILIES}


@dataclass(frozen=True, slots=True)
class DemoRow:
    """One option of a comparison: its label, the planned route or why there is none."""

    label: str
    itinerary: Itinerary | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DemoTable:
    """One comparison: a question, its options and the verdict."""

    key: str
    title: str
    rows: tuple[DemoRow, ...]
    notes: tuple[str, ...] = field(default=())

    def best(self, metric: str) -> DemoRow | None:
        """The row with the lowest ``cost_usd``, ``hours`` or ``co2e_kg``."""
        found = [r for r in self.rows if r.itinerary is not None]
        if not found:
            return None
        return min(found, key=lambda r: getattr(r.itinerary.totals, metric))  # type: ignore[union-attr]

    def verdict(self) -> list[str]:
        """Plain sentences: which option is cheapest, fastest and lowest in CO2e."""
        out = []
        for metric, word in (
            ("cost_usd", "cheapest"),
            ("hours", "fastest"),
            ("co2e_kg", "lowest CO2e"),
        ):
            row = self.best(metric)
            if row is not None:
                out.append(f"{word}: {row.label}")
        road = [r for r in self.rows if r.label.lower().startswith("all road") and r.itinerary]
        if road and self.best("cost_usd") is road[0]:
            out.append("the data says road wins on cost here")
        if road and self.best("hours") is road[0]:
            out.append("the data says road wins on time here")
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "title": self.title,
            "rows": [
                {
                    "label": r.label,
                    "route": None if r.itinerary is None else r.itinerary.to_dict(),
                    "reason": r.reason,
                }
                for r in self.rows
            ],
            "verdict": self.verdict(),
            "notes": list(self.notes),
        }


def _find(network: Network, word: str, *, kind: str | None = None, mode: str | None = None) -> str:
    """The node whose name holds ``word`` (optionally of a kind, touching a link mode)."""
    key = normalize_name(word)
    hits: list[Node] = []
    for node in network.nodes.values():
        names = [node.id, node.name_en, *node.aliases]
        if kind is not None and node.kind != kind:
            continue
        if any(key in normalize_name(n) for n in names if n):
            hits.append(node)
    if mode is not None:
        touching = {
            end
            for link in network.links.values()
            if link.mode == mode
            for end in (link.from_node, link.to_node)
        }
        hits = [n for n in hits if n.id in touching] or hits
    if not hits:
        raise UnknownPlaceError(word, [])
    return sorted(hits, key=lambda n: n.id)[0].id


def _row(
    network: Network,
    label: str,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    family: ModeFamily,
    via: tuple[str, ...] = (),
) -> DemoRow:
    options = replace(family.options(RouteOptions()), via_nodes=via)
    try:
        it = plan_route(network, origin, destination, cargo=cargo, tonnes=tonnes, options=options)
    except (NoRouteError, UnknownPlaceError) as exc:
        return DemoRow(label, None, str(exc))
    return DemoRow(label, it)


def demo_tables(network: Network) -> list[DemoTable]:
    """Compute the demo's comparisons on ``network``."""
    caspian_port = _find(network, "Caspian Port", kind="port")
    anzali = _find(network, "Anzali", kind="port", mode="road")
    incheh = _find(network, "Incheh Borun", kind="border_crossing", mode="rail")
    sarakhs = _find(network, "Sarakhs", kind="border_crossing", mode="rail")
    tables: list[DemoTable] = []
    rows: tuple[DemoRow, ...]
    for dest in ("Turkmenbashi", "Ashgabat"):
        kw: dict[str, Any] = {"cargo": "general_container", "tonnes": 20.0}
        rows = (
            _row(
                network,
                "Rail into Iran + Caspian Port + ship",
                "Istanbul",
                dest,
                family=_FAMILY["rail+sea"],
                via=(caspian_port,),
                **kw,
            ),
            _row(network, "All road", "Istanbul", dest, family=_FAMILY["road"], **kw),
            _row(
                network,
                "Rail via Incheh Borun",
                "Istanbul",
                dest,
                family=_FAMILY["rail"],
                via=(incheh,),
                **kw,
            ),
            _row(
                network,
                "Rail via Sarakhs",
                "Istanbul",
                dest,
                family=_FAMILY["rail"],
                via=(sarakhs,),
                **kw,
            ),
            _row(network, "Best of any mode", "Istanbul", dest, family=_FAMILY["any"], **kw),
        )
        tables.append(
            DemoTable(f"a-{dest.lower()}", f"(a) Istanbul → {dest}: one 20 t container", rows)
        )
    kw = {"cargo": "wheat", "tonnes": 1000.0}
    rows = (
        _row(
            network,
            "Ship to Anzali, truck on",
            "Aktau",
            "Tehran",
            family=_FAMILY["road+sea"],
            via=(anzali,),
            **kw,
        ),
        _row(
            network,
            "Ship to the Caspian Port, rail on",
            "Aktau",
            "Tehran",
            family=_FAMILY["rail+sea"],
            via=(caspian_port,),
            **kw,
        ),
        _row(
            network,
            "Rail via Turkmenistan (Incheh Borun)",
            "Aktau",
            "Tehran",
            family=_FAMILY["rail"],
            via=(incheh,),
            **kw,
        ),
        _row(network, "All road", "Aktau", "Tehran", family=_FAMILY["road"], **kw),
        _row(network, "Best of any mode", "Aktau", "Tehran", family=_FAMILY["any"], **kw),
    )
    tables.append(DemoTable("b", "(b) Aktau → Tehran: 1,000 t of wheat", rows))
    for dest in ("Almaty", "Aktau"):
        kw = {"cargo": "tea", "tonnes": 20.0}
        rows = tuple(
            _row(
                network,
                "All road" if f.name == "road" else f.label.capitalize(),
                "Lahijan",
                dest,
                family=f,
                **kw,
            )
            for f in FAMILIES
        )
        tables.append(DemoTable(f"c-{dest.lower()}", f"(c) Lahijan → {dest}: 20 t of tea", rows))
    return tables


def claim_sentence(table: DemoTable, comparison: Comparison) -> str:
    """The seed articles' claim for this comparison, as a probability over the draws.

    Compares the first rail + sea (or sea) option with the all-road option: "rail + sea via
    the Caspian Port is cheaper than all-road in X % of draws and faster in Y %".
    """
    labels = [r.label.lower() for r in table.rows]
    road = next((i for i, lab in enumerate(labels) if lab.startswith("all road")), None)
    sea = next(
        (
            i
            for i, r in enumerate(table.rows)
            if r.itinerary is not None and {"sea", "rail_ferry"} & set(r.itinerary.modes)
        ),
        None,
    )
    if road is None or sea is None or table.rows[road].itinerary is None:
        return ""
    cheaper, faster = comparison.p_better(sea, road)
    return (
        f"'{table.rows[sea].label}' is cheaper than all-road in {cheaper:.0%} of "
        f"{comparison.n:,} draws and faster in {faster:.0%} (seed {comparison.seed})"
    )


def render_demo(
    tables: list[DemoTable],
    network: Network,
    out: Console,
    *,
    lang: str = "en",
    comparisons: list[Comparison | None] | None = None,
) -> None:
    """Print each comparison as a table with its verdict (and its uncertainty)."""
    from caspian.cli.render import route_outline, uncertainty_table

    out.print(
        "[bold]Caspian Gateway demo[/bold] — the seed articles' claims, computed on the bundled "
        "network (sources in src/caspian/data/caspian). Generalized cost = money + value of "
        "time; each row is the optimum under its constraints."
    )
    comps: list[Comparison | None] = comparisons or [None] * len(tables)
    for t, comp in zip(tables, comps, strict=True):
        table = Table(title=t.title, title_justify="left")
        for col, justify in (
            ("option", "left"),
            ("route", "left"),
            ("cost USD", "right"),
            ("USD/t", "right"),
            ("days", "right"),
            ("t CO2e", "right"),
        ):
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        cheapest, fastest, cleanest = t.best("cost_usd"), t.best("hours"), t.best("co2e_kg")
        for r in t.rows:
            if r.itinerary is None:
                table.add_row(r.label, f"[dim]no route: {r.reason}[/dim]", "", "", "", "")
                continue
            tot = r.itinerary.totals
            table.add_row(
                r.label,
                route_outline(r.itinerary, network, lang=lang),
                _mark(f"{tot.cost_usd:,.0f}", r is cheapest),
                f"{tot.cost_usd_per_t:,.1f}",
                _mark(f"{tot.days:.1f}", r is fastest),
                _mark(f"{tot.co2e_kg / 1000:,.2f}", r is cleanest),
            )
        out.print()
        out.print(table)
        out.print("  → " + "; ".join(t.verdict()) + ".")
        if comp is not None:
            out.print(
                uncertainty_table(
                    [r.label for r in t.rows], comp, title="  uncertainty over the evidence ranges"
                )
            )
            claim = claim_sentence(t, comp)
            if claim:
                out.print(f"  → claim: {claim}.")


def _mark(text: str, best: bool) -> str:
    return f"[bold green]{text}*[/bold green]" if best else text
