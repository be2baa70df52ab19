"""``caspian calibrate``: the model against published observations, and the fit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caspian.cli.common import DataOpt, JsonOpt, LangOpt, handles_errors, load
from caspian.errors import ValidationError

GOAL_INSIDE = 0.80
GOAL_HELDOUT_MALE = 0.25


def _default_observations(data: Path | None) -> Path:
    from caspian.io.tables import BUNDLED_DATA_DIR

    folder = data if data is not None else BUNDLED_DATA_DIR
    return folder / "observations.csv"


def _row_dict(r) -> dict[str, object]:  # type: ignore[no-untyped-def]
    o = r.observation
    return {
        "id": o.id,
        "kind": o.kind,
        "corridor": o.corridor,
        "family": o.family,
        "unit": o.unit,
        "observed_low": o.value_low,
        "observed_high": o.value_high,
        "model": r.model,
        "model_p10": r.p10,
        "model_p90": r.p90,
        "verdict": r.verdict,
        "covered": r.covered,
        "log_error": r.log_error,
        "route": r.route,
        "reason": r.reason,
        "source": f"{o.publisher} {o.published} {o.title} {o.url}".strip(),
        "trust": o.trust,
    }


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _pct(x: object) -> str:
    return "—" if x is None else f"{float(x) * 100:.0f} %"  # type: ignore[arg-type]


def _print(rows: list, title: str, out, lang: str = "en") -> None:  # type: ignore[no-untyped-def,type-arg]
    """The observations table (labels in ``lang``; data text escaped; compact when narrow)."""
    from rich.table import Table

    from caspian.cli.i18n import t, t_or
    from caspian.cli.render import is_narrow, plain

    narrow = is_narrow(out.width)
    table = Table(title=plain(title), title_justify="left")
    keys = ["col.id", "col.kind", "col.corridor", "col.observed", "col.model", "col.band"]
    if narrow:
        keys.remove("col.kind")
    for key in [*keys, "col.verdict"]:
        table.add_column(t(key, lang), overflow="fold")
    for r in rows:
        o = r.observation
        obs = _fmt(o.value_low) if o.is_point else f"{_fmt(o.value_low)}–{_fmt(o.value_high)}"
        band = "" if r.p10 is None else f"{_fmt(r.p10)}–{_fmt(r.p90)}"
        if r.verdict == "not modelled":
            verdict = f"[dim]{plain(r.reason)}[/dim]"
        else:
            verdict = t_or(f"verdict.{r.verdict}", lang, plain(r.verdict))
        if r.verdict in ("above", "below") and r.covered:
            verdict += t("verdict.within_band", lang)
        cells = [plain(o.id)] + ([] if narrow else [plain(o.kind)]) + [plain(o.corridor)]
        table.add_row(*cells, plain(f"{obs} {o.unit}"), _fmt(r.model), band, verdict)
    out.print(table)


def _print_summary(name: str, s: dict[str, object], out) -> None:  # type: ignore[no-untyped-def]
    a = s["all"]
    assert isinstance(a, dict)
    out.print(
        f"[bold]{name}[/bold]: {a['modelled']} of {a['observations']} observations modelled; "
        f"central value inside the published range {_pct(a['share_inside'])}; range overlaps "
        f"the model's p10–p90 {_pct(a['share_covered'])}; median |log error| "
        f"{_fmt(a['median_abs_log_error'])}"
    )


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` to ``app``."""

    @app.command()
    @handles_errors
    def calibrate(
        observations: Annotated[
            Path | None,
            typer.Option("--observations", help="Observations CSV (default: the data folder's)."),
        ] = None,
        do_fit: Annotated[
            bool, typer.Option("--fit", help="Fit the uncertain parameters to the observations.")
        ] = False,
        out_dir: Annotated[
            Path | None,
            typer.Option("--out", help="With --fit: new data folder for the calibrated tables."),
        ] = None,
        folds: Annotated[int, typer.Option("--folds", help="k of k-fold validation.")] = 5,
        draws: Annotated[
            int, typer.Option("--draws", help="Monte Carlo draws for the p10–p90 band.")
        ] = 300,
        seed: Annotated[int, typer.Option("--seed", help="Seed (folds and draws).")] = 0,
        chart: Annotated[
            Path | None,
            typer.Option("--chart", help="Write model vs observed (log scale) as .png or .svg."),
        ] = None,
        by_figure: Annotated[
            bool,
            typer.Option(
                "--by-figure",
                help="Score every published figure on its own instead of one row per series "
                "(the same quantity published for several years).",
            ),
        ] = False,
        data: DataOpt = None,
        lang: LangOpt = "en",
        as_json: JsonOpt = False,
    ) -> None:
        """Compare the model with published observations; with --fit, calibrate it.

        --fit --out DIR fits the uncertain parameters and writes a calibrated data folder
        (use it with --data DIR on any command).

        Example: caspian calibrate --draws 100
        """
        from rich.markup import escape

        from caspian.calibration.fit import compare, fit, summary
        from caspian.calibration.observations import load_observations, merge_series
        from caspian.cli.render import console, dump_json

        if folds < 0 or folds > 50:
            raise ValidationError(f"--folds must be between 0 and 50; got {folds}")
        if not 0 <= draws <= 100_000:
            raise ValidationError(f"--draws must be between 0 and 100,000; got {draws}")
        if seed < 0:
            raise ValidationError(f"--seed must be ≥ 0; got {seed}")
        if do_fit and out_dir is None:
            raise ValidationError("--fit writes a new data folder: give it with --out DIR")
        if out_dir is not None and not do_fit:
            raise ValidationError("--out is only used with --fit")
        if (
            out_dir is not None
            and out_dir.exists()
            and (not out_dir.is_dir() or any(out_dir.iterdir()))
        ):
            raise ValidationError(f"--out '{out_dir}' exists and is not empty; choose a new folder")
        if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
            raise ValidationError(f"--chart must end in .png or .svg; got '{chart.name}'")
        network = load(data)
        obs_path = observations or _default_observations(data)
        figures = load_observations(obs_path, network)
        obs = figures if by_figure else merge_series(figures)
        unit = "published figures" if by_figure else f"series of {len(figures)} published figures"
        out = console()
        if not do_fit:
            rows = compare(network, obs, draws=draws, seed=seed)
            s = summary(rows)
            if chart is not None:
                _chart(rows, chart)
            if as_json:
                typer.echo(dump_json({"summary": s, "rows": [_row_dict(r) for r in rows]}))
                return
            _print(rows, f"Model vs {len(obs)} {unit} ({obs_path.name})", out, lang)
            _print_summary("Bundled data", s, out)
            groups = s["groups"]
            assert isinstance(groups, dict)
            for group, g in groups.items():
                out.print(
                    f"  {group}: {g['modelled']} modelled, inside {_pct(g['share_inside'])}, "
                    f"p10–p90 overlaps {_pct(g['share_covered'])}, median |log error| "
                    f"{_fmt(g['median_abs_log_error'])}"
                )
            _goal(s, None, out)
            return
        from caspian.calibration.writeback import write_calibrated

        assert out_dir is not None
        result = fit(network, obs, folds=folds, seed=seed)
        changes = write_calibrated(
            data, out_dir, result.params, result.factors, result.ranges, result.informed_by
        )
        calibrated = load(out_dir)
        after = compare(calibrated, obs, draws=draws, seed=seed)
        s_before = summary(compare(network, obs, draws=draws, seed=seed))
        s_after = summary(after)
        s_held = summary(result.heldout)
        if chart is not None:
            _chart(after, chart)
        if as_json:
            typer.echo(
                dump_json(
                    {
                        "before": s_before,
                        "after": s_after,
                        "heldout": s_held,
                        "changes": changes,
                        "out": str(out_dir),
                    }
                )
            )
            return
        _print_summary("Before", s_before, out)
        _print_summary("After (in sample)", s_after, out)
        _print_summary(f"Held out ({folds}-fold)", s_held, out)
        out.print(escape(f"{len(changes)} values changed; calibrated tables written to {out_dir}"))
        _goal(s_after, s_held, out)


def _goal(s: dict[str, object], held: dict[str, object] | None, out) -> None:  # type: ignore[no-untyped-def]
    a = s["all"]
    assert isinstance(a, dict)
    inside = a["share_inside"] or 0.0
    covered = a["share_covered"] or 0.0
    n = a["modelled"]
    out.print(
        f"Goal ≥ {GOAL_INSIDE:.0%} inside: central value "
        f"{'met' if inside >= GOAL_INSIDE else 'NOT met'} ({a['inside']} of {n}, "
        f"{float(inside) * 100:.1f} %); within the model's p10–p90 "
        f"{'met' if covered >= GOAL_INSIDE else 'NOT met'} ({float(covered) * 100:.1f} %)."
    )
    if held is not None:
        h = held["all"]
        assert isinstance(h, dict)
        male = h["median_abs_log_error"]
        ok = male is not None and male <= GOAL_HELDOUT_MALE
        out.print(
            f"Goal held-out median |log error| ≤ {GOAL_HELDOUT_MALE}: {'met' if ok else 'NOT met'}"
            f" ({_fmt(male)})."
        )


def _chart(rows: list, path: Path) -> None:  # type: ignore[type-arg]
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from caspian.cli.analysis import write_atomic

    fig, ax = plt.subplots(figsize=(7, 6))
    kinds = sorted({r.observation.kind for r in rows if r.model})
    for kind in kinds:
        pts = [r for r in rows if r.observation.kind == kind and r.model]
        x = [r.observation.central for r in pts]
        y = [r.model for r in pts]
        lo = [r.observation.central - r.observation.value_low for r in pts]
        hi = [r.observation.value_high - r.observation.central for r in pts]
        ax.errorbar(x, y, xerr=[lo, hi], fmt="o", ms=4, label=kind, alpha=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    lims = [0.1, 1e5]
    ax.plot(lims, lims, "k--", lw=0.8)
    ax.set_xlabel("published (centre, range as bar)")
    ax.set_ylabel("model")
    ax.set_title("Caspian Gateway: model vs published observations")
    ax.legend(fontsize=7)
    buf = io.BytesIO()
    fig.savefig(
        buf,
        format=path.suffix.lstrip(".").lower(),
        metadata={"Date": None} if path.suffix.lower() == ".svg" else None,
    )
    plt.close(fig)
    write_atomic(path, buf.getvalue())
