"""Reading endpoints: the same answers and messages as the command line, as JSON."""

from __future__ import annotations

import csv
import io
import json

from .conftest import Api

ROUTE = {"from": "Aktau", "to": "Tehran", "cargo": "wheat", "tonnes": 1000}


def test_health_names_backend_and_data(reader: Api) -> None:
    doc = reader.get("/health").json()
    assert doc["status"] == "ok" and doc["database"] == "sqlite"
    assert len(doc["data_version"]) == 12


def test_places_in_persian_and_english(reader: Api) -> None:
    hits = reader.get("/places", params={"q": "انزلی", "limit": 3}).json()
    assert hits[0]["id"] == "ir_anzali" and hits[0]["name_fa"] == "بندر انزلی"
    assert len(hits) == 3
    everything = reader.get("/places").json()
    assert len(everything) > 100 and {"lat", "lon", "kind"} <= set(everything[0])
    assert reader.get("/places", params={"q": "Aktau"}).json()[0]["country"] == "KZ"


def test_cargo_lists_commodities(reader: Api) -> None:
    ids = {c["id"] for c in reader.get("/cargo").json()}
    assert {"wheat", "tea", "general_container"} <= ids


def test_network_geojson_has_nodes_links_borders_and_services(reader: Api) -> None:
    doc = reader.get("/network").json()
    assert doc["type"] == "FeatureCollection"
    nodes = [f for f in doc["features"] if f["properties"]["feature"] == "node"]
    links = [f for f in doc["features"] if f["properties"]["feature"] == "link"]
    assert len(nodes) > 100 and len(links) > 200
    astara = next(f for f in nodes if f["id"] == "bc_astara_road")["properties"]
    assert astara["border"] and astara["borders"][0]["clearance_hours"] > 0
    assert any(f["properties"]["services"] for f in links if f["properties"]["mode"] == "sea")
    assert all(f["geometry"]["type"] == "LineString" for f in links)


def test_network_under_a_scenario_changes(reader: Api) -> None:
    base = reader.get("/network").json()
    after = reader.get("/network", params={"scenario": "rasht-astara-railway"}).json()

    def status(doc: dict[str, object]) -> dict[str, str]:
        return {
            f["id"]: f["properties"]["status"]  # type: ignore[index]
            for f in doc["features"]  # type: ignore[attr-defined]
            if f["properties"]["feature"] == "link"  # type: ignore[index]
        }

    assert status(base) != status(after)


def test_route_matches_the_library(reader: Api, bundled: object) -> None:
    from caspian.routing.search import plan_route

    doc = reader.post("/route", json=ROUTE).json()
    expected = plan_route(bundled, "Aktau", "Tehran", cargo="wheat", tonnes=1000)  # type: ignore[arg-type]
    route = doc["route"]
    assert route["totals"]["cost_usd"] == expected.totals.cost_usd
    assert doc["query"]["from"] == "Aktau" and doc["alternatives"] == []
    leg = next(g for g in route["legs"] if g["kind"] == "move")
    assert len(leg["geometry"]) >= 2 and leg["from_name_fa"] and leg["to_name_en"]
    assert "tfi4_swd_kmh" in route["cpmm"]


def test_route_alternatives_and_uncertainty(reader: Api) -> None:
    doc = reader.post("/route", json={**ROUTE, "alternatives": 3, "uncertainty": 200}).json()
    n = 1 + len(doc["alternatives"])
    assert n >= 2
    assert doc["uncertainty"]["draws"] == 200 and len(doc["uncertainty"]["options"]) == n
    first = doc["uncertainty"]["options"][0]
    assert first["cost_usd"]["p10"] <= first["cost_usd"]["p90"]
    again = reader.post("/route", json={**ROUTE, "alternatives": 3, "uncertainty": 200}).json()
    assert again["uncertainty"] == doc["uncertainty"]  # seeded


def test_route_in_persian_names(reader: Api) -> None:
    doc = reader.post("/route", json={**ROUTE, "lang": "fa"}).json()
    assert doc["route"]["legs"][-1]["to_name"] == doc["route"]["legs"][-1]["to_name_fa"]


def test_route_with_builtin_scenario_explains_itself(reader: Api) -> None:
    body = {"from": "Lahijan", "to": "Aktau", "cargo": "tea", "tonnes": 20}
    doc = reader.post("/route", json={**body, "scenario": "rasht-astara-railway"}).json()
    assert doc["scenario_note"]


def test_route_options_are_applied(reader: Api) -> None:
    doc = reader.post("/route", json={**ROUTE, "modes": ["road"]}).json()
    assert doc["route"]["modes"] == ["road"]
    avoided = reader.post("/route", json={**ROUTE, "avoid_country": ["AZ"]}).json()
    assert all(not leg["from"].startswith("az_") for leg in avoided["route"]["legs"])


def test_unknown_place_is_422_with_field_and_suggestions(reader: Api) -> None:
    r = reader.post("/route", json={**ROUTE, "to": "Anzalli"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "unknown_place" and err["field"] == "to"
    assert "ir_anzali" in err["suggestions"]
    assert err["message"].startswith("Unknown place 'Anzalli'. Closest matches: ir_anzali")


def test_unknown_cargo_and_bad_values_are_422(reader: Api) -> None:
    r = reader.post("/route", json={**ROUTE, "cargo": "gold"})
    assert r.status_code == 422 and "Valid cargo ids" in r.json()["error"]["message"]
    r = reader.post("/route", json={**ROUTE, "tonnes": -1})
    assert r.status_code == 422 and r.json()["error"]["field"] == "tonnes"
    r = reader.post("/route", json={**ROUTE, "objective": "fastest"})
    assert r.status_code == 422 and "objective" in r.json()["error"]["message"]
    r = reader.post("/route", json={**ROUTE, "colour": "red"})
    assert r.status_code == 422 and "unknown field" in r.json()["error"]["message"]
    r = reader.post("/route", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "body"
    assert "not valid JSON" in r.json()["error"]["message"]
    r = reader.post("/route", json={**ROUTE, "scenario": "../../etc/passwd"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_scenario"


def test_no_route_is_422_with_the_reason(reader: Api) -> None:
    r = reader.post("/route", json={**ROUTE, "modes": ["rail"], "max_hours": 1})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "no_route" and r.json()["error"]["message"]


def test_route_geojson_and_csv_downloads_carry_the_query(reader: Api) -> None:
    r = reader.post("/route", params={"format": "geojson"}, json={**ROUTE, "via": ["Anzali"]})
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    assert "attachment" in r.headers["content-disposition"]
    doc = json.loads(r.content)
    assert doc["query"]["command"] == "route" and doc["query"]["options"]["via"] == ["Anzali"]
    assert doc["features"]
    r = reader.post("/route", json=ROUTE, headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert r.headers["content-type"].startswith("text/csv")
    assert rows and rows[0]["cargo"] == "wheat" and rows[0]["tonnes"] == "1000"


def test_compare_modes(reader: Api) -> None:
    body = {"from": "Lahijan", "to": "Almaty", "cargo": "tea", "tonnes": 20}
    doc = reader.post("/compare-modes", json=body).json()
    names = [f["family"] for f in doc["families"]]
    assert len(names) >= 4
    assert any(f["route"] is not None for f in doc["families"])
    assert all(f["route"] is not None or f["reason"] for f in doc["families"])
    r = reader.post("/compare-modes", params={"format": "csv"}, json=body)
    assert r.status_code == 200 and "compare-modes" in r.text


def test_pareto_front_is_not_dominated(reader: Api) -> None:
    points = reader.post("/pareto", json=ROUTE).json()["points"]
    assert points
    for p in points:
        for q in points:
            assert not (
                q["cost_usd"] < p["cost_usd"]
                and q["days"] < p["days"]
                and q["co2e_kg"] < p["co2e_kg"]
            )


def test_tcd_series_are_cumulative(reader: Api) -> None:
    body = {**ROUTE, "compare": "road=road;sea=road,sea"}
    routes = reader.post("/tcd", json=body).json()["routes"]
    assert [r["label"] for r in routes] == ["road", "sea"]
    km = [p["km"] for p in routes[0]["points"]]
    assert km == sorted(km) and km[-1] > 0


def test_indicators_per_corridor(reader: Api) -> None:
    rows = reader.get("/indicators").json()["corridors"]
    assert len(rows) >= 10
    assert any(r["cpmm"] and r["cpmm"]["tfi1_border_hours"] for r in rows)


def test_report_is_html(reader: Api) -> None:
    r = reader.get(
        "/report",
        params={"from": "Aktau", "to": "Tehran", "cargo": "wheat", "alternatives": 1, "lang": "fa"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "dir='rtl'" in r.text


def test_unknown_path_and_method_are_json(reader: Api) -> None:
    r = reader.get("/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = reader.client.delete("/api/v1/places")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_body_too_large_is_413(reader: Api) -> None:
    r = reader.post(
        "/route", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_cors_is_closed_by_default(reader: Api) -> None:
    r = reader.client.options(
        "/api/v1/route",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = reader.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_documents_every_endpoint(reader: Api) -> None:
    paths = reader.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/route", "/api/v1/scenarios/{scenario_id}/diff", "/api/v1/runs"):
        assert path in paths
    assert reader.client.get("/api/v1/docs").status_code == 404  # no CDN-backed docs page


def test_interface_is_served_at_root(reader: Api) -> None:
    r = reader.client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def test_flows_assignment_is_served_and_cached(reader: Api) -> None:
    r = reader.get("/flows", params={"method": "ue", "scenario": "astara-digital-border"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["elements"] and doc["geojson"]["features"]
    assert doc["summary"]["scenario"] == "astara-digital-border"
    assert (
        reader.get("/flows", params={"method": "ue", "scenario": "astara-digital-border"}).json()
        == doc
    )
    r = reader.get("/flows", params={"scenario": "../x.yaml"})
    assert r.status_code == 422 and "built-in scenario" in r.json()["error"]["message"]


def test_interface_has_a_content_security_policy(reader: Api) -> None:
    csp = reader.client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    assert "content-security-policy" not in reader.get("/health").headers
