"""Labels of the HTML report and its charts, in English and Persian.

Every word the report or its charts show goes through :func:`label` (or :func:`mode_label`,
:func:`leg_label`), so ``--lang fa`` gives a page with no English label left in it (units
such as CO2e, TFI1–4 and the data's own citations stay as written).
"""

from __future__ import annotations

__all__ = ["LABELS", "REPORT_LANGS", "label", "leg_label", "mode_label"]

REPORT_LANGS = ("en", "fa")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "arrow": "→",
        "tonnes_short": "t",
        "map": "Map",
        "map_aria": "map of the routes",
        "map_caption": "solid: road · long dash: rail · dotted: sea/ferry · outline: "
        "Natural Earth 1:50m (public domain)",
        "itineraries": "Itineraries",
        "tcd": "Time/cost-distance",
        "pareto": "Pareto front (cost, time, CO2e)",
        "cpmm": "CAREC CPMM indicators",
        "before_after": "Scenario: before / after",
        "scenario": "Scenario:",
        "step": "step",
        "mode": "mode",
        "modes": "modes",
        "km": "km",
        "move_h": "move h",
        "handle_h": "handle h",
        "border_h": "border h",
        "wait_h": "wait h",
        "cost_usd": "cost USD",
        "co2e_kg": "CO2e kg",
        "days": "days",
        "hours": "hours",
        "usd_per_t": "USD/t",
        "total": "total ({days} days)",
        "summary": "{usd_t} USD/t · {co2_t} kg CO2e/t · generalized cost {gc} USD "
        "(money plus the cargo's time value)",
        "at": "{kind} at {place}",
        "crossing": "crossing (TFI1/TFI2)",
        "section": "section (TFI3)",
        "no_crossing": "no border crossing",
        "tfi4": "TFI4: speed without delay {swod} km/h; with delay {swd} km/h.",
        "before": "before",
        "after": "after",
        "change": "change",
        "route_unchanged": "Route unchanged:",
        "route_changed": "Route changed:",
        "footer": "Caspian Gateway {version} · network '{network}' · data sources: "
        "src/caspian/data/caspian/SOURCES.md",
        "tcd_cost_axis": "cumulative cost, USD per tonne",
        "tcd_time_axis": "cumulative time, days",
        "tcd_distance_axis": "cumulative distance, km",
        "tcd_title": "Time/cost-distance (UN ESCAP method)",
        "wait_clear": "wait/clear",
        "pareto_colour": "kg CO2e per tonne",
        "pareto_days": "door-to-door days",
        "pareto_cost": "cost, USD per tonne",
        "pareto_title": "Pareto front: cost, time and CO2e",
        "kt_per_year_change": "change, thousand tonnes a year",
        "flow_map": "Trade flows (line width: tonnes a year; colour: load of capacity)",
        "flow_map_caption": "assigned OD demand; grey: no capacity figure; green → red: "
        "utilisation of the busiest capacity element on the link",
        "border": "border",
        "transfer": "transfer",
        "load": "load",
        "unload": "unload",
        "road": "road",
        "rail": "rail",
        "sea": "sea",
        "rail_ferry": "rail ferry",
        "truck_ferry": "truck ferry",
        "rail_1435": "rail 1435 mm",
        "rail_1520": "rail 1520 mm",
    },
    "fa": {
        "arrow": "←",
        "tonnes_short": "تن",
        "map": "نقشه",
        "map_aria": "نقشهٔ مسیرها",
        "map_caption": "خط پیوسته: جاده · خط‌چین بلند: راه‌آهن · نقطه‌چین: دریا/کشتی · "
        "مرزها: Natural Earth 1:50m (مالکیت عمومی)",
        "itineraries": "مسیرها، گام به گام",
        "tcd": "زمان/هزینه–فاصله",
        "pareto": "جبههٔ پارتو (هزینه، زمان، CO2e)",
        "cpmm": "شاخص‌های CPMM کارک",
        "before_after": "سناریو: پیش / پس",
        "scenario": "سناریو:",
        "step": "گام",
        "mode": "شیوه",
        "modes": "شیوه‌ها",
        "km": "کیلومتر",
        "move_h": "ساعت حرکت",
        "handle_h": "ساعت جابه‌جایی",
        "border_h": "ساعت مرز",
        "wait_h": "ساعت انتظار",
        "cost_usd": "هزینه (دلار)",
        "co2e_kg": "CO2e (کیلوگرم)",
        "days": "روز",
        "hours": "ساعت",
        "usd_per_t": "دلار بر تن",
        "total": "جمع ({days} روز)",
        "summary": "{usd_t} دلار بر تن · {co2_t} کیلوگرم CO2e بر تن · هزینهٔ تعمیم‌یافته "
        "{gc} دلار (پول به‌اضافهٔ ارزش زمانی بار)",
        "at": "{kind} در {place}",
        "crossing": "گذرگاه (TFI1/TFI2)",
        "section": "بخش (TFI3)",
        "no_crossing": "بدون گذر از مرز",
        "tfi4": "TFI4: سرعت بدون تأخیر {swod} کیلومتر بر ساعت؛ با تأخیر {swd} کیلومتر بر ساعت.",
        "before": "پیش",
        "after": "پس",
        "change": "تغییر",
        "route_unchanged": "مسیر بدون تغییر:",
        "route_changed": "مسیر تغییر کرد:",
        "footer": "دروازهٔ خزر (Caspian Gateway) {version} · شبکهٔ «{network}» · منابع داده: "
        "src/caspian/data/caspian/SOURCES.md",
        "tcd_cost_axis": "هزینهٔ انباشته، دلار بر تن",
        "tcd_time_axis": "زمان انباشته، روز",
        "tcd_distance_axis": "فاصلهٔ انباشته، کیلومتر",
        "tcd_title": "زمان/هزینه–فاصله (روش اسکاپ سازمان ملل)",
        "wait_clear": "انتظار/ترخیص",
        "pareto_colour": "کیلوگرم CO2e بر تن",
        "pareto_days": "روز، درب تا درب",
        "pareto_cost": "هزینه، دلار بر تن",
        "pareto_title": "جبههٔ پارتو: هزینه، زمان و CO2e",
        "kt_per_year_change": "تغییر، هزار تن در سال",
        "flow_map": "جریان‌های تجاری (پهنای خط: تن در سال؛ رنگ: بار ظرفیت)",
        "flow_map_caption": "تقاضای مبدأ–مقصد تخصیص‌یافته؛ خاکستری: بدون رقم ظرفیت؛ سبز ← سرخ: "
        "بهره‌برداری از ظرفیت",
        "border": "مرز",
        "transfer": "تعویض شیوه",
        "load": "بارگیری",
        "unload": "تخلیه",
        "road": "جاده",
        "rail": "راه‌آهن",
        "sea": "دریا",
        "rail_ferry": "کشتی قطاربر",
        "truck_ferry": "کشتی کامیون‌بر",
        "rail_1435": "راه‌آهن ۱۴۳۵ میلی‌متری",
        "rail_1520": "راه‌آهن ۱۵۲۰ میلی‌متری",
    },
}
"""Report labels by language; both languages have the same keys (a test checks it)."""


def label(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (English for an unknown language), filled with ``values``.

    Examples
    --------
    >>> label("total", "fa", days="1.5")
    'جمع (1.5 روز)'
    """
    table = LABELS.get(lang, LABELS["en"])
    text = table[key]
    return text.format(**values) if values else text


def mode_label(mode: str, lang: str) -> str:
    """A mode's or layer's name; a transfer ``road→sea`` names both sides.

    Examples
    --------
    >>> mode_label("rail_ferry", "en")
    'rail ferry'
    >>> mode_label("road→sea", "fa")
    'جاده ← دریا'
    """
    table = LABELS.get(lang, LABELS["en"])
    if "→" in mode:
        arrow = f" {table['arrow']} "
        return arrow.join(table.get(part, part) for part in mode.split("→"))
    return table.get(mode, mode)


def leg_label(kind: str, lang: str) -> str:
    """A non-moving leg's kind: border, transfer, load, unload."""
    table = LABELS.get(lang, LABELS["en"])
    return table.get(kind, kind)
