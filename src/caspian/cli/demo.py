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
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from caspian.cli.i18n import t
from caspian.errors import NoRouteError, UnknownPlaceError
from caspian.model.network import Network, Node
from caspian.model.places import normalize_name
from caspian.routing.families import FAMILIES, ModeFamily
from caspian.routing.search import RouteOptions, plan_route

if TYPE_CHECKING:
    from caspian.routing.itinerary import Itinerary
    from caspian.routing.uncertainty import Comparison

__all__ = ["DemoRow", "DemoTable", "demo_tables", "render_demo"]

_FAMILY = {f.name: f for f in FAMILIES}


@dataclass(frozen=True, slots=True)
class DemoRow:
    """One option of a comparison: its label, the planned route or why there is none.

    ``key`` names the label in the message catalog (``demo.row.<key>``), so the table can
    be shown in Persian; ``label`` is its English text (JSON, claims).
    """

    label: str
    itinerary: Itinerary | None
    reason: str = ""
    key: str = ""

    def shown(self, lang: str) -> str:
        """The label in ``lang`` (plain text)."""
        return t(f"demo.row.{self.key}", lang) if self.key else self.label


@dataclass(frozen=True, slots=True)
class DemoTable:
    """One comparison: a question, its options and the verdict.

    ``origin`` and ``destination`` are the query's place names as the demo asks them; the
    title is rebuilt from them (``demo.title.<key's letter>``) in the chosen language.
    """

    key: str
    title: str
    rows: tuple[DemoRow, ...]
    notes: tuple[str, ...] = field(default=())
    origin: str = ""
    destination: str = ""

    def best(self, metric: str) -> DemoRow | None:
        """The row with the lowest ``cost_usd``, ``hours`` or ``co2e_kg``."""
        found = [r for r in self.rows if r.itinerary is not None]
        if not found:
            return None
        return min(found, key=lambda r: getattr(r.itinerary.totals, metric))  # type: ignore[union-attr]

    def verdict(self, lang: str = "en") -> list[str]:
        """Plain sentences: which option is cheapest, fastest and lowest in CO2e."""
        out = []
        for metric, key in (
            ("cost_usd", "verdict.cheapest"),
            ("hours", "verdict.fastest"),
            ("co2e_kg", "verdict.cleanest"),
        ):
            row = self.best(metric)
            if row is not None:
                out.append(t(key, lang, label=row.shown(lang)))
        road = [r for r in self.rows if r.label.lower().startswith("all road") and r.itinerary]
        if road and self.best("cost_usd") is road[0]:
            out.append(t("verdict.road_cost", lang))
        if road and self.best("hours") is road[0]:
            out.append(t("verdict.road_time", lang))
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
    key: str,
    origin: str,
    destination: str,
    *,
    cargo: str,
    tonnes: float,
    family: ModeFamily,
    via: tuple[str, ...] = (),
) -> DemoRow:
    label = t(f"demo.row.{key}", "en")
    options = replace(family.options(RouteOptions()), via_nodes=via)
    try:
        it = plan_route(network, origin, destination, cargo=cargo, tonnes=tonnes, options=options)
    except (NoRouteError, UnknownPlaceError) as exc:
        return DemoRow(label, None, str(exc), key)
    return DemoRow(label, it, "", key)


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
                "rail_caspian_port_ship",
                "Istanbul",
                dest,
                family=_FAMILY["rail+sea"],
                via=(caspian_port,),
                **kw,
            ),
            _row(network, "all_road", "Istanbul", dest, family=_FAMILY["road"], **kw),
            _row(
                network,
                "rail_incheh",
                "Istanbul",
                dest,
                family=_FAMILY["rail"],
                via=(incheh,),
                **kw,
            ),
            _row(
                network,
                "rail_sarakhs",
                "Istanbul",
                dest,
                family=_FAMILY["rail"],
                via=(sarakhs,),
                **kw,
            ),
            _row(network, "best_any", "Istanbul", dest, family=_FAMILY["any"], **kw),
        )
        title = t("demo.title.a", "en", origin="Istanbul", destination=dest)
        tables.append(DemoTable(f"a-{dest.lower()}", title, rows, (), "Istanbul", dest))
    kw = {"cargo": "wheat", "tonnes": 1000.0}
    rows = (
        _row(
            network,
            "ship_anzali_truck",
            "Aktau",
            "Tehran",
            family=_FAMILY["road+sea"],
            via=(anzali,),
            **kw,
        ),
        _row(
            network,
            "ship_caspian_port_rail",
            "Aktau",
            "Tehran",
            family=_FAMILY["rail+sea"],
            via=(caspian_port,),
            **kw,
        ),
        _row(
            network,
            "rail_turkmenistan",
            "Aktau",
            "Tehran",
            family=_FAMILY["rail"],
            via=(incheh,),
            **kw,
        ),
        _row(network, "all_road", "Aktau", "Tehran", family=_FAMILY["road"], **kw),
        _row(network, "best_any", "Aktau", "Tehran", family=_FAMILY["any"], **kw),
    )
    title = t("demo.title.b", "en", origin="Aktau", destination="Tehran")
    tables.append(DemoTable("b", title, rows, (), "Aktau", "Tehran"))
    for dest in ("Almaty", "Aktau"):
        kw = {"cargo": "tea", "tonnes": 20.0}
        rows = tuple(
            _row(
                network,
                "all_road" if f.name == "road" else f"family.{f.name}",
                "Lahijan",
                dest,
                family=f,
                **kw,
            )
            for f in FAMILIES
        )
        title = t("demo.title.c", "en", origin="Lahijan", destination=dest)
        tables.append(DemoTable(f"c-{dest.lower()}", title, rows, (), "Lahijan", dest))
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


def evidence_sentences(table: DemoTable, comparison: Comparison) -> list[str]:
    """Which evidence drives the verdicts: for the cheapest and the fastest option, the
    parameters (and the table rows they come from) that make most of its lead over the
    runner-up, at the tables' values."""
    found = [i for i, r in enumerate(table.rows) if r.itinerary is not None]
    out = []
    for metric, quantity, unit, scale in (
        ("cost_usd", "cost_usd", "USD", 1.0),
        ("hours", "hours", "d", 1 / 24),
    ):
        ranked = sorted(found, key=lambda i: getattr(table.rows[i].itinerary.totals, metric))  # type: ignore[union-attr]
        if len(ranked) < 2:
            continue
        a, b = ranked[0], ranked[1]
        lead = getattr(table.rows[b].itinerary.totals, metric) - getattr(  # type: ignore[union-attr]
            table.rows[a].itinerary.totals,  # type: ignore[union-attr]
            metric,
        )
        parts = comparison.drivers(a, b, quantity=quantity, top=3)
        if not parts:
            continue
        fmt = ",.0f" if unit == "USD" else ".1f"
        why = "; ".join(
            f"{label}{f' ({src})' if src else ''} {d * scale:+{fmt}} {unit}"
            for label, d, src in parts
        )
        word = "cheapest" if metric == "cost_usd" else "fastest"
        out.append(
            f"{table.rows[a].label} is {word}, {lead * scale:{fmt}} {unit} ahead of "
            f"{table.rows[b].label}; largest parts of the difference (negative = in its "
            f"favour): {why}"
        )
    return out


def _title(table: DemoTable, network: Network, lang: str) -> str:
    """The table's question in ``lang`` with translated place names (escaped)."""
    from caspian.cli.render import place_name, plain
    from caspian.model.places import resolve_place

    if not table.origin or lang == "en":
        return plain(table.title)
    names = []
    for word in (table.origin, table.destination):
        try:
            names.append(place_name(network, resolve_place(network, word).id, lang))
        except UnknownPlaceError:
            names.append(word)
    letter = table.key[0]
    return plain(t(f"demo.title.{letter}", lang, origin=names[0], destination=names[1]))


def render_demo(
    tables: list[DemoTable],
    network: Network,
    out: Console,
    *,
    lang: str = "en",
    comparisons: list[Comparison | None] | None = None,
) -> None:
    """Print each comparison as a table with its verdict (and its uncertainty), then a legend.

    Below :data:`~caspian.cli.render.NARROW_COLUMNS` columns the USD/t column is dropped
    so the table fits an 80-column terminal.
    """
    from caspian.cli.render import is_narrow, plain, route_outline, uncertainty_table

    narrow = is_narrow(out.width)
    out.print(f"[bold]{plain(t('demo.intro', lang))}[/bold]")
    comps: list[Comparison | None] = comparisons or [None] * len(tables)
    for tbl, comp in zip(tables, comps, strict=True):
        table = Table(title=_title(tbl, network, lang), title_justify="left")
        table.add_column(t("col.option", lang), overflow="fold", max_width=18 if narrow else 28)
        table.add_column(t("col.route", lang), overflow="fold", min_width=16)
        numbers = ["col.cost_usd", "col.days", "col.t_co2e"]
        if not narrow:
            numbers.insert(1, "col.usd_per_t")
        for key in numbers:
            table.add_column(t(key, lang), justify="right", no_wrap=True)
        cheapest, fastest, cleanest = tbl.best("cost_usd"), tbl.best("hours"), tbl.best("co2e_kg")
        for r in tbl.rows:
            label = plain(r.shown(lang))
            if r.itinerary is None:
                reason = plain(t("no_route.reason", lang, reason=r.reason))
                table.add_row(label, f"[dim]{reason}[/dim]", *[""] * len(numbers))
                continue
            tot = r.itinerary.totals
            cells = [_mark(f"{tot.cost_usd:,.0f}", r is cheapest)]
            if not narrow:
                cells.append(f"{tot.cost_usd_per_t:,.1f}")
            cells += [
                _mark(f"{tot.days:.1f}", r is fastest),
                _mark(f"{tot.co2e_kg / 1000:,.2f}", r is cleanest),
            ]
            table.add_row(label, route_outline(r.itinerary, network, lang=lang), *cells)
        out.print()
        out.print(table)
        out.print("  → " + plain("; ".join(tbl.verdict(lang)) + "."))
        if comp is not None:
            out.print(
                uncertainty_table(
                    [r.shown(lang) for r in tbl.rows],
                    comp,
                    title="  " + t("title.uncertainty_short", lang),
                    lang=lang,
                )
            )
            claim = claim_sentence(tbl, comp)
            if claim:
                out.print("  → " + plain(t("demo.claim", lang, text=claim)) + ".")
            for line in evidence_sentences(tbl, comp):
                out.print("  [dim]evidence:[/dim] " + plain(line) + ".")
    out.print()
    out.print(f"[dim]{plain(t('demo.legend', lang))}[/dim]")


def _mark(text: str, best: bool) -> str:
    """``text`` in bold green with a ``*`` when it is the best of its column."""
    return f"[bold green]{text}*[/bold green]" if best else f"{text} "
