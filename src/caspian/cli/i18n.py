"""Message catalog of the command line: every label of a table or sentence, in en and fa.

``t(key, lang, **values)`` returns the ``lang`` text of ``key`` with ``values`` filled in
(``str.format``). Every key exists in both languages (a test checks it); a missing key is a
programming error and raises ``KeyError``. Persian text keeps Latin digits; Rich lays the
tables out and the terminal does the right-to-left shaping.
"""

from __future__ import annotations

from typing import Final

from caspian.model.text import MODE_NAMES_FA

__all__ = ["LANGS", "MESSAGES", "t", "t_or"]

LANGS: Final = ("en", "fa")

# key: (English, Persian)
_PAIRS: Final[dict[str, tuple[str, str]]] = {
    # errors (handles_errors)
    "error.no_route": ("No route:", "بدون مسیر:"),
    "error": ("Error:", "خطا:"),
    # flows
    "fl.summary": (
        "Flows ({method}): {tonnes} a year of {n} commodities; gap {gap} after {it} iterations, "
        "{sec} s",
        "جریان‌ها ({method}): {tonnes} در سال از {n} کالا؛ شکاف {gap} پس از {it} تکرار، {sec} ثانیه",
    ),
    "fl.unassigned": (
        "not assigned (no route): {cls} {frm} → {to}",
        "تخصیص‌نیافته (بی‌مسیر): {cls} {frm} ← {to}",
    ),
    "fl.unmet": (
        "unmet under hard capacities: {cls} {tonnes} a year",
        "برآورده‌نشده زیر ظرفیت‌های سخت: {cls} {tonnes} در سال",
    ),
    "fl.elements": ("Busiest capacity elements (per direction)", "پرکارترین اجزای ظرفیت (هر جهت)"),
    "fl.places": ("Ports and borders (tonnes a year)", "بنادر و مرزها (تن در سال)"),
    "fl.col.element": ("element", "جزء"),
    "fl.col.direction": ("direction", "جهت"),
    "fl.col.t_yr": ("t/yr", "تن/سال"),
    "fl.col.vehicles_day": ("vehicles/day", "وسیله/روز"),
    "fl.col.capacity_day": ("capacity/day", "ظرفیت/روز"),
    "fl.col.load": ("load", "بار"),
    "fl.col.delay_h": ("delay h", "ساعت تأخیر"),
    "fl.col.place": ("place", "مکان"),
    "fl.col.kind": ("kind", "نوع"),
    "fl.col.trucks_day": ("trucks/day", "کامیون/روز"),
    "fl.col.by": ("by mode / direction", "بر پایهٔ شیوه / جهت"),
    "fl.col.before": ("before", "پیش"),
    "fl.col.after": ("after", "پس"),
    "fl.col.change": ("change", "تغییر"),
    "fl.col.tonne_h_day": ("tonne-h/day", "تن-ساعت/روز"),
    "fl.col.dual": ("dual USD/t", "قیمت سایه دلار/تن"),
    "fl.col.dir": ("dir", "جهت"),
    "fl.col.family": ("family", "شیوه"),
    "fl.col.published": ("published", "منتشرشده"),
    "fl.col.model": ("model", "مدل"),
    "fl.col.off": ("×off", "×اختلاف"),
    "fl.col.year": ("year", "سال"),
    "fl.tkm": ("tonne-km by mode: {parts}", "تن-کیلومتر بر پایهٔ شیوه: {parts}"),
    "fl.written": ("link flows written to {path}", "جریان پیوندها نوشته شد در {path}"),
    "fl.chart": ("chart written to {path}", "نمودار نوشته شد در {path}"),
    "fl.cost": (
        "{scenario}: generalized cost of all flows {before} → {after} M USD a year ({delta} M)",
        "{scenario}: هزینهٔ تعمیم‌یافتهٔ همهٔ جریان‌ها {before} ← {after} میلیون دلار در سال "
        "({delta} میلیون)",
    ),
    "fl.compare": (
        "Tonnes a year at ports and borders: before → after",
        "تن در سال در بنادر و مرزها: پیش ← پس",
    ),
    "fl.bottlenecks.lp": (
        "Bottlenecks (lp), ranked by dual price USD per t of capacity",
        "گلوگاه‌ها (lp)، به ترتیب قیمت سایه (دلار بر تن ظرفیت)",
    ),
    "fl.bottlenecks.delay": (
        "Bottlenecks ({method}), ranked by tonne-hours of delay a day",
        "گلوگاه‌ها ({method})، به ترتیب تن-ساعت تأخیر در روز",
    ),
    "fl.check": (
        "Throughput: model ({method}) vs published",
        "جابه‌جایی: مدل ({method}) در برابر رقم منتشرشده",
    ),
    "fl.check.summary": (
        "{met} of {n} compared figures within a factor of {goal} ({share})",
        "{met} از {n} رقم سنجیده در ضریب {goal} ({share})",
    ),
    "fl.bn": ("bn", "میلیارد"),
    # scenarios
    "scen.title": (
        "Built-in scenarios (use with --scenario NAME)",
        "سناریوهای آماده (با --scenario NAME)",
    ),
    "scen.name": ("name", "نام"),
    "scen.description": ("description", "شرح"),
    "scen.source": ("source: {text}", "منبع: {text}"),
    "scen.assumption": ("assumption: {text}", "فرض: {text}"),
    # itinerary table
    "col.num": ("#", "#"),
    "col.step": ("step", "مرحله"),
    "col.mode": ("mode", "شیوه"),
    "col.km": ("km", "کیلومتر"),
    "col.move_h": ("move h", "ساعت حرکت"),
    "col.rest_h": ("rest h", "ساعت استراحت"),
    "col.handle_h": ("handle h", "ساعت جابه‌جایی"),
    "col.border_h": ("border h", "ساعت مرز"),
    "col.wait_h": ("wait h", "ساعت انتظار"),
    "col.hours": ("hours", "ساعت"),
    "col.cost_usd": ("cost USD", "هزینه (دلار)"),
    "col.usd": ("USD", "دلار"),
    "col.co2e_kg": ("kg CO2e", "کیلوگرم CO2e"),
    "col.total": ("total", "جمع"),
    "title.route": (
        "{origin} → {destination} · {tonnes} t {cargo} · optimize {objective}",
        "{origin} ← {destination} · {tonnes} تن {cargo} · بهینه‌سازی {objective}",
    ),
    "title.scenario": (" · scenario {name}", " · سناریو {name}"),
    "title.alternative": ("Alternative {i} of {n}", "گزینهٔ {i} از {n}"),
    "step.move": ("{frm} → {to}", "{frm} ← {to}"),
    "step.via": (" via {places}", " از راه {places}"),
    "step.load": ("load at {place}", "بارگیری در {place}"),
    "step.unload": ("unload at {place}", "تخلیه در {place}"),
    "step.transfer": ("transfer at {place}", "جابه‌جایی در {place}"),
    "step.border": ("border at {place}", "مرز در {place}"),
    "step.other": ("{kind} at {place}", "{kind} در {place}"),
    "note": ("note: {text}", "یادداشت: {text}"),
    "note.scenario": ("scenario: {text}", "سناریو: {text}"),
    "summary": (
        "{days} days door to door · {cost} USD ({per_t} USD/t) · {co2} t CO2e ({co2_per_t} "
        "kg/t) · generalized cost {gc} USD (time value {tv}{carbon})",
        "{days} روز درِ خانه تا درِ خانه · {cost} دلار ({per_t} دلار/تن) · {co2} تن CO2e "
        "({co2_per_t} کیلوگرم/تن) · هزینهٔ تعمیم‌یافته {gc} دلار (ارزش زمان {tv}{carbon})",
    ),
    "summary.carbon": (", carbon {value}", "، کربن {value}"),
    "legend.route": (
        "Hours: move = driving or sailing, rest = drivers' daily rest, handle = loading and "
        "transfers, border = clearance, wait = for a sailing. Generalized cost = money + "
        "value of the cargo's time (+ carbon price).",
        "ساعت‌ها: حرکت = رانندگی یا دریانوردی، استراحت = استراحت روزانهٔ راننده، تخلیه و "
        "بارگیری = بارگیری و جابه‌جایی، مرز = ترخیص، انتظار = انتظار برای کشتی. هزینهٔ "
        "تعمیم‌یافته = پول + ارزش زمانِ بار (+ بهای کربن).",
    ),
    "legend.route_narrow": (
        "hours = moving + drivers' rest + handling + border + waiting (a wider terminal "
        "shows each). Generalized cost = money + value of the cargo's time (+ carbon price).",
        "ساعت = حرکت + استراحت راننده + جابه‌جایی + مرز + انتظار (پایانهٔ پهن‌تر هر یک را "
        "جدا نشان می‌دهد). هزینهٔ تعمیم‌یافته = پول + ارزش زمانِ بار (+ بهای کربن).",
    ),
    "legend.cpmm": (
        "CAREC CPMM indicators: TFI1 = hours to clear a border crossing; TFI2 = cost of "
        "clearing it (USD); TFI3 = cost of a corridor section between crossings (USD); "
        "TFI4 = speed in km/h, as SWOD (speed without delay: distance over moving hours) "
        "and SWD (speed with delay: distance over all hours, borders and handling included).",
        "شاخص‌های CPMM کارک: TFI1 = ساعت‌های گذر از مرز؛ TFI2 = هزینهٔ گذر از مرز (دلار)؛ "
        "TFI3 = هزینهٔ یک بخش کریدور میان دو مرز (دلار)؛ TFI4 = سرعت به کیلومتر بر ساعت، "
        "به صورت SWOD (سرعت بدون تأخیر: مسافت بر ساعت‌های حرکت) و SWD (سرعت با تأخیر: "
        "مسافت بر همهٔ ساعت‌ها، با مرز و جابه‌جایی).",
    ),
    # objectives
    "objective.generalized": ("generalized cost", "هزینهٔ تعمیم‌یافته"),
    "objective.cost": ("cost", "هزینه"),
    "objective.time": ("time", "زمان"),
    "objective.co2": ("CO2e", "CO2e"),
    # modes
    # mode.* keys: added below from caspian.model.text.MODE_NAMES_FA (one list of Persian names)
    # mode families
    "family.road": ("road only", "فقط جاده"),
    "family.rail": ("rail only (truck feeders)", "فقط راه‌آهن (با کامیون تا ایستگاه)"),
    "family.rail+sea": ("rail + sea", "راه‌آهن + دریا"),
    "family.road+sea": ("road + sea", "جاده + دریا"),
    "family.any": ("any combination", "هر ترکیبی"),
    # compare-modes
    "col.family": ("family", "خانواده"),
    "col.route": ("route", "مسیر"),
    "col.usd_per_t": ("USD/t", "دلار/تن"),
    "col.days": ("days", "روز"),
    "col.t_co2e": ("t CO2e", "تن CO2e"),
    "col.kg_co2e_per_t": ("kg CO2e/t", "کیلوگرم CO2e/تن"),
    "no_route": ("no route", "بدون مسیر"),
    "no_route.reason": ("no route: {reason}", "بدون مسیر: {reason}"),
    "title.families": (
        "{origin} → {destination} · {tonnes} t {cargo} · best route per mode family "
        "(optimize {objective})",
        "{origin} ← {destination} · {tonnes} تن {cargo} · بهترین مسیر هر خانوادهٔ شیوه "
        "(بهینه‌سازی {objective})",
    ),
    # uncertainty
    "col.option": ("option", "گزینه"),
    "col.usd_p": ("USD p10 / p50 / p90", "دلار p10 / p50 / p90"),
    "col.days_p": ("days p10 / p50 / p90", "روز p10 / p50 / p90"),
    "col.p_cheapest": ("P(cheapest)", "P(ارزان‌ترین)"),
    "col.p_fastest": ("P(fastest)", "P(سریع‌ترین)"),
    "title.uncertainty": (
        "Uncertainty: {n} draws over the data's evidence ranges (seed {seed})",
        "عدم قطعیت: {n} نمونه در بازه‌های شواهدِ داده‌ها (بذر {seed})",
    ),
    "title.uncertainty_short": (
        "uncertainty over the evidence ranges",
        "عدم قطعیت در بازه‌های شواهد",
    ),
    "label.route": ("route", "مسیر"),
    "label.alternative": ("alternative {i}", "گزینهٔ {i}"),
    # places
    "col.id": ("id", "شناسه"),
    "col.name": ("name", "نام"),
    "col.persian": ("Persian", "فارسی"),
    "col.english": ("English", "انگلیسی"),
    "col.country": ("country", "کشور"),
    "col.kind": ("kind", "نوع"),
    "col.matched": ("matched", "تطبیق"),
    "col.score": ("score", "امتیاز"),
    "title.places_matching": ("Places matching '{query}'", "مکان‌های منطبق با «{query}»"),
    "title.places_all": ("All places", "همهٔ مکان‌ها"),
    "places.none": ("No place matches '{query}'.", "هیچ مکانی با «{query}» منطبق نیست."),
    "kind.city": ("city", "شهر"),
    "kind.port": ("port", "بندر"),
    "kind.border_crossing": ("border crossing", "گذرگاه مرزی"),
    "kind.rail_terminal": ("rail terminal", "پایانهٔ ریلی"),
    "kind.free_zone": ("free zone", "منطقهٔ آزاد"),
    "kind.production_area": ("production area", "منطقهٔ تولید"),
    # cargo
    "title.cargo": ("Cargo types (use with --cargo ID)", "انواع بار (با ‎--cargo شناسه)"),
    "col.class": ("class", "رده"),
    "col.value": ("value USD/t", "ارزش دلار/تن"),
    "col.time_value": ("time value %/day", "ارزش زمان ٪/روز"),
    "col.pct_day": ("%/day", "٪/روز"),
    "col.shelf": ("max days", "حداکثر روز"),
    "col.hs": ("HS", "HS"),
    "cargo.not_perishable": ("—", "—"),
    "cargo.estimate": ("≈", "≈"),
    "legend.cargo": (
        "max days = shelf life: routes slower than this are refused unless --max-hours says "
        "otherwise. ≈ marks an estimated value. Time value = share of the cargo's value lost "
        "per day in transit (enters the generalized cost).",
        "حداکثر روز = ماندگاری: مسیرهای کندتر رد می‌شوند مگر ‎--max-hours چیز دیگری بگوید. ≈ "
        "یعنی ارزش برآوردی است. ارزش زمان = سهمی از ارزش بار که هر روز در راه از دست می‌رود "
        "(در هزینهٔ تعمیم‌یافته می‌آید).",
    ),
    "class.dry_bulk": ("dry bulk", "فله خشک"),
    "class.bagged": ("bagged", "کیسه‌ای"),
    "class.container": ("container", "کانتینری"),
    "class.reefer": ("reefer", "یخچالی"),
    "class.steel_general": ("steel / general", "فولاد / عمومی"),
    # demo
    "demo.intro": (
        "Caspian Gateway demo — the seed articles' claims, computed on the bundled network "
        "(sources in src/caspian/data/caspian/SOURCES.md). Each row is the planner's optimum "
        "under that row's constraints.",
        "نمایش دروازهٔ خزر — ادعاهای مقاله‌های پایه، محاسبه‌شده روی شبکهٔ همراه برنامه "
        "(منابع در src/caspian/data/caspian/SOURCES.md). هر سطر بهینهٔ برنامه‌ریز با "
        "محدودیت‌های همان سطر است.",
    ),
    "demo.legend": (
        "Legend: * marks the best value in its column (cheapest, fastest, lowest CO2e). "
        "USD/t = cost per tonne; t CO2e = tonnes of CO2-equivalent, well to wheel (ISO 14083). "
        "Routes minimise the generalized cost = money + the value of the cargo's time in "
        "transit.",
        "راهنما: * بهترین مقدار هر ستون را نشان می‌دهد (ارزان‌ترین، سریع‌ترین، کمترین CO2e). "
        "دلار/تن = هزینه برای هر تن؛ تن CO2e = تن معادل دی‌اکسید کربن، از چاه تا چرخ "
        "(ISO 14083). مسیرها هزینهٔ تعمیم‌یافته را کمینه می‌کنند = پول + ارزش زمانِ بار در راه.",
    ),
    "demo.title.a": (
        "(a) {origin} → {destination}: one 20 t container",
        "(الف) {origin} ← {destination}: یک کانتینر ۲۰ تنی",
    ),
    "demo.title.b": (
        "(b) {origin} → {destination}: 1,000 t of wheat",
        "(ب) {origin} ← {destination}: ۱٬۰۰۰ تن گندم",
    ),
    "demo.title.c": (
        "(c) {origin} → {destination}: 20 t of tea",
        "(ج) {origin} ← {destination}: ۲۰ تن چای",
    ),
    "demo.row.rail_caspian_port_ship": (
        "Rail into Iran + Caspian Port + ship",
        "راه‌آهن تا ایران + بندر کاسپین + کشتی",
    ),
    "demo.row.all_road": ("All road", "تمام جاده‌ای"),
    "demo.row.rail_incheh": ("Rail via Incheh Borun", "راه‌آهن از اینچه‌برون"),
    "demo.row.rail_sarakhs": ("Rail via Sarakhs", "راه‌آهن از سرخس"),
    "demo.row.best_any": ("Best of any mode", "بهترین با هر شیوه"),
    "demo.row.ship_anzali_truck": ("Ship to Anzali, truck on", "کشتی تا انزلی، سپس کامیون"),
    "demo.row.ship_caspian_port_rail": (
        "Ship to the Caspian Port, rail on",
        "کشتی تا بندر کاسپین، سپس راه‌آهن",
    ),
    "demo.row.rail_turkmenistan": (
        "Rail via Turkmenistan (Incheh Borun)",
        "راه‌آهن از ترکمنستان (اینچه‌برون)",
    ),
    "demo.row.family.rail": ("Rail only (truck feeders)", "فقط راه‌آهن (با کامیون تا ایستگاه)"),
    "demo.row.family.rail+sea": ("Rail + sea", "راه‌آهن + دریا"),
    "demo.row.family.road+sea": ("Road + sea", "جاده + دریا"),
    "demo.row.family.any": ("Any combination", "هر ترکیبی"),
    "verdict.cheapest": ("cheapest: {label}", "ارزان‌ترین: {label}"),
    "verdict.fastest": ("fastest: {label}", "سریع‌ترین: {label}"),
    "verdict.cleanest": ("lowest CO2e: {label}", "کمترین CO2e: {label}"),
    "verdict.road_cost": ("the data says road wins on cost here", "داده‌ها: اینجا جاده ارزان‌تر است"),
    "verdict.road_time": ("the data says road wins on time here", "داده‌ها: اینجا جاده سریع‌تر است"),
    "demo.claim": ("claim: {text}", "ادعا: {text}"),
    # export
    "export.written": ("{what} written to {path}", "{what} در {path} نوشته شد"),
    "export.what": ("routes", "مسیرها"),
    # compare --scenario
    "title.compare": ("Scenario {name}: {description}", "سناریو {name}: {description}"),
    "col.corridor_shipment": ("corridor (shipment)", "کریدور (محموله)"),
    "col.status": ("status", "وضعیت"),
    "col.delta_p": ("Δ p10…p90 ({n} draws)", "Δ p10…p90 ({n} نمونه)"),
    "compare.shipment": ("{label}, {tonnes} t", "{label}، {tonnes} تن"),
    "compare.spread": (
        "{usd_lo}…{usd_hi} USD, {d_lo}…{d_hi} d; cheaper in {cheaper}, faster in {faster} of draws",
        "{usd_lo}…{usd_hi} دلار، {d_lo}…{d_hi} روز؛ ارزان‌تر در {cheaper} و سریع‌تر در "
        "{faster} نمونه‌ها",
    ),
    "compare.none": ("none", "هیچ"),
    "compare.why": ("What changed, and why:", "چه تغییر کرد، و چرا:"),
    "status.unchanged": ("unchanged", "بی‌تغییر"),
    "status.same route": ("same route", "همان مسیر"),
    "status.changed": ("changed", "مسیر دیگر"),
    "status.now unreachable": ("now unreachable", "اکنون بی‌مسیر"),
    "status.now reachable": ("now reachable", "اکنون با مسیر"),
    "status.unreachable": ("unreachable", "بی‌مسیر"),
    # criticality
    "title.criticality": (
        "Most critical elements over {n} corridors (rank: {rank})",
        "حیاتی‌ترین اجزا در {n} کریدور (رتبه‌بندی: {rank})",
    ),
    "col.element": ("element", "جزء"),
    "col.cut": ("cut", "قطع"),
    "col.rerouted": ("rerouted", "با مسیر دیگر"),
    "col.mean_pct": ("mean +%", "میانگین +٪"),
    "col.max_pct": ("max +%", "بیشینه +٪"),
    "col.extra_usd": ("extra USD", "دلار اضافه"),
    "element.link": ("link", "پیوند"),
    "element.border": ("border", "مرز"),
    "element.port": ("port", "بندر"),
    "rank.mean": ("mean", "میانگین"),
    "rank.max": ("max", "بیشینه"),
    "rank.usd": ("usd", "دلار"),
    "legend.criticality": (
        "cut = corridors left without a route; rerouted = corridors that find another route; "
        "mean/max +% = increase in generalized cost (money + value of time) over the corridors "
        "that keep a route; extra USD = summed over them.",
        "قطع = کریدورهایی که بی‌مسیر می‌مانند؛ با مسیر دیگر = کریدورهایی که مسیر دیگری "
        "می‌یابند؛ میانگین/بیشینه +٪ = افزایش هزینهٔ تعمیم‌یافته (پول + ارزش زمان) در "
        "کریدورهایی که مسیر دارند؛ دلار اضافه = جمع آن در همین کریدورها.",
    ),
    # pareto, tcd
    "title.pareto": (
        "Pareto front {origin} → {destination} · {tonnes} t {cargo}",
        "جبههٔ پارتو {origin} ← {destination} · {tonnes} تن {cargo}",
    ),
    "chart.written": ("chart written to {path}", "نمودار در {path} نوشته شد"),
    "report.written": (
        "report written to {path} ({kib} KiB)",
        "گزارش در {path} نوشته شد ({kib} KiB)",
    ),
    "tcd.route": (
        "{label}: {km} km, {usd_per_t} USD/t, {days} days; SWOD {swod} km/h, SWD {swd} km/h",
        "{label}: {km} کیلومتر، {usd_per_t} دلار/تن، {days} روز؛ SWOD {swod} کیلومتر بر "
        "ساعت، SWD {swd} کیلومتر بر ساعت",
    ),
    "tcd.best": ("best: {modes}", "بهترین: {modes}"),
    "tcd.alternative": ("{i}: {modes}", "{i}: {modes}"),
    "tcd.crossing": (
        "TFI1/TFI2 {name} ({mode}): {hours} h, {usd} USD",
        "TFI1/TFI2 {name} ({mode}): {hours} ساعت، {usd} دلار",
    ),
    # flows sweep
    "title.sweep": ("Flow sweep ({method})", "پیمایش جریان‌ها ({method})"),
    "col.scenario": ("scenario", "سناریو"),
    "col.growth": ("growth", "رشد"),
    "col.mt_yr": ("Mt/yr", "میلیون تن/سال"),
    "col.cost_musd_yr": ("cost M USD/yr", "هزینه میلیون دلار/سال"),
    "col.busiest": ("busiest", "پرکارترین"),
    "col.load": ("load", "بار"),
    "col.over_capacity": (">100 %", ">100 ٪"),
    "sweep.base": ("base", "پایه"),
    "direction": ("{name} {direction}", "{name} {direction}"),
    # calibrate
    "col.observed": ("observed", "مشاهده‌شده"),
    "col.model": ("model", "مدل"),
    "col.band": ("p10–p90", "p10–p90"),
    "col.verdict": ("verdict", "نتیجه"),
    "col.corridor": ("corridor", "کریدور"),
    "verdict.inside": ("inside", "درون بازه"),
    "verdict.above": ("above", "بالاتر"),
    "verdict.below": ("below", "پایین‌تر"),
    "verdict.within_band": (" (within p10–p90)", " (درون p10–p90)"),
    "title.calibrate": (
        "Model vs {n} published observations ({file})",
        "مدل در برابر {n} مشاهدهٔ منتشرشده ({file})",
    ),
}

_PAIRS.update(
    {f"mode.{mode}": (mode.replace("_", " "), name_fa) for mode, name_fa in MODE_NAMES_FA.items()}
)

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {key: pair[0] for key, pair in _PAIRS.items()},
    "fa": {key: pair[1] for key, pair in _PAIRS.items()},
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The ``lang`` text of ``key`` with ``values`` filled in (unknown ``lang``: English)."""
    text = MESSAGES.get(lang, MESSAGES["en"])[key]
    return text.format(**values) if values else text


def t_or(key: str, lang: str, fallback: str, **values: object) -> str:
    """Like :func:`t`, but ``fallback`` when the catalog has no ``key`` (e.g. a new kind)."""
    if key not in MESSAGES["en"]:
        return fallback
    return t(key, lang, **values)
