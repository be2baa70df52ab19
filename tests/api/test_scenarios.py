"""Scenarios through the API, on SQLite and on PostgreSQL: versions, conflicts, auth, diff."""

from __future__ import annotations

from .conftest import Api

CLOSED = {
    "name": "astara-road-closed",
    "description": "Astara road border closed both ways",
    "document": {"borders": [{"node": "bc_astara_road", "status": "closed"}]},
}


def test_writing_needs_a_valid_token(api: Api) -> None:
    r = api.post("/scenarios", json=CLOSED, auth=False)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert "caspian token create" in r.json()["error"]["message"]
    r = api.post(
        "/scenarios", json=CLOSED, headers={"Authorization": "Bearer cgw_nope"}, auth=False
    )
    assert r.status_code == 401
    assert api.get("/auth/check", headers=api.auth).json()["ok"] is True
    assert api.get("/auth/check").status_code == 401


def test_revoked_token_is_refused(api: Api) -> None:
    from caspian.db.tokens import list_tokens, revoke_token

    engine = api.client.app.state.caspian.engine  # type: ignore[attr-defined]
    revoke_token(engine, list_tokens(engine)[0].id)
    assert api.post("/scenarios", json=CLOSED).status_code == 401


def test_create_read_update_versions_delete(api: Api) -> None:
    r = api.post("/scenarios", json=CLOSED)
    assert r.status_code == 201, r.text
    saved = r.json()
    sid = saved["id"]
    assert saved["version"] == 1 and saved["document"]["name"] == "astara-road-closed"
    assert not saved["read_only"]
    listed = api.get("/scenarios").json()
    assert any(s["builtin"] and s["read_only"] for s in listed)
    assert any(s["id"] == sid for s in listed)
    update = {
        **CLOSED,
        "version": 1,
        "document": {"borders": [{"node": "bc_astara_road", "clearance_factor": 0.5}]},
    }
    r = api.put(f"/scenarios/{sid}", json=update)
    assert r.status_code == 200 and r.json()["version"] == 2
    stale = api.put(f"/scenarios/{sid}", json=update)
    assert stale.status_code == 409 and "version 2" in stale.json()["error"]["message"]
    versions = api.get(f"/scenarios/{sid}/versions").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[1]["document"]["borders"][0]["status"] == "closed"
    assert api.delete(f"/scenarios/{sid}").status_code == 204
    assert api.get(f"/scenarios/{sid}").status_code == 404
    assert api.get(f"/scenarios/{sid}/versions").status_code == 404


def test_name_conflicts_and_read_only_builtins(api: Api) -> None:
    assert api.post("/scenarios", json=CLOSED).status_code == 201
    r = api.post("/scenarios", json=CLOSED)
    assert r.status_code == 409 and "already named" in r.json()["error"]["message"]
    r = api.post("/scenarios", json={**CLOSED, "name": "covid-2020"})
    assert r.status_code == 409
    r = api.put("/scenarios/covid-2020", json=CLOSED)
    assert r.status_code == 409 and r.json()["error"]["code"] == "read_only"
    assert api.delete("/scenarios/covid-2020").status_code == 409
    builtin = api.get("/scenarios/covid-2020").json()
    assert builtin["builtin"] and builtin["document"]["name"]


def test_invalid_documents_are_422_with_the_cli_message(api: Api) -> None:
    bad = {"borders": [{"node": "bc_astara_raod", "status": "closed"}]}
    r = api.post("/scenarios/validate", json={"name": "x", **bad}, auth=False)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_scenario" and err["field"] == "document"
    assert "bc_astara_road" in err["message"]  # the closest valid id
    r = api.post("/scenarios", json={"name": "typo", "document": bad})
    assert r.status_code == 422
    r = api.post("/scenarios/validate", json={"name": "x", "links": [{"id": 3}]}, auth=False)
    assert r.status_code == 422
    ok = api.post("/scenarios/validate", json={"name": "x", **CLOSED["document"]}, auth=False)
    assert ok.json() == {"valid": True, "changes": 1}


def test_saved_scenario_replans_and_diffs(api: Api) -> None:
    body = {"from": "Rasht", "to": "Baku", "cargo": "general_container", "tonnes": 20}
    before = api.post("/route", json=body, auth=False).json()["route"]
    sid = api.post("/scenarios", json=CLOSED).json()["id"]
    after = api.post("/route", json={**body, "scenario": sid}, auth=False)
    assert after.status_code == 200, after.text
    used = {leg["from"] for leg in after.json()["route"]["legs"]}
    assert "bc_astara_road" not in used
    assert after.json()["route"]["totals"] != before["totals"]
    diff = api.get(f"/scenarios/{sid}/diff").json()
    assert diff["name"] == "astara-road-closed"
    assert any(
        c["section"] == "borders" and c["field"] == "status" and c["after"] == "closed"
        for c in diff["changes"]
    )
    assert all("→" in c["text"] or c["field"] is None for c in diff["changes"])
    # an update is seen by the next request (no stale cache)
    reopened = {**CLOSED, "document": {"borders": [{"node": "bc_astara_road", "status": "open"}]}}
    api.put(f"/scenarios/{sid}", json=reopened)
    again = api.post("/route", json={**body, "scenario": sid}, auth=False).json()["route"]
    assert again["totals"] == before["totals"]


def test_builtin_diff_lists_opened_links(api: Api) -> None:
    diff = api.get("/scenarios/rasht-astara-railway/diff").json()
    assert diff["new_links"] and diff["changes"]


def test_ids_that_are_not_ascii_digits_are_404(api: Api) -> None:
    for weird in ("²", "١٢", "0x1", "9" * 30):  # superscript two, Arabic-Indic digits
        r = api.get(f"/scenarios/{weird}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.post("/route", json={"from": "Aktau", "to": "Tehran", "scenario": "²"}, auth=False)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_scenario"
