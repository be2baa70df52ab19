"""Runs: a short Astara border simulation end to end, SSE, cancel, limits and restarts."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy.orm import Session

from caspian.api import Settings
from caspian.db.models import Run, now

from .conftest import Api, make_api

SHORT = {"scenario": "software", "days": 0.5, "replications": 2, "seed": 3}


def _wait(api: Api, run_id: str, *, timeout_s: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        doc: dict[str, Any] = api.get(f"/runs/{run_id}").json()
        if doc["status"] in ("done", "failed", "cancelled"):
            return doc
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish in {timeout_s} s")


def test_border_run_end_to_end(api: Api) -> None:
    r = api.post("/runs", json={"kind": "simulate-border", "params": SHORT})
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "queued" and r.json()["progress"] == 0
    run_id = r.json()["id"]
    with api.client.stream("GET", f"/api/v1/runs/{run_id}/events") as stream:
        events = [line for line in stream.iter_lines() if line.startswith("event:")]
    assert events[0] == "event: progress" and events[-1] == "event: done"
    doc = _wait(api, run_id)
    assert doc["status"] == "done" and doc["progress"] == 1.0
    result = doc["result"]
    tfi1 = result["summary"]["groups"]["IR->AZ"]["time_mean_hours"]["mean"]
    assert tfi1 > 0
    assert result["series"]["queue"]["hours"] and "road" in result["series"]["queue"]["series"]
    assert set(result["series"]["waiting"]["counts"]) == {"IR->AZ", "AZ->IR"}
    planner = result["planner_scenario"]
    assert planner["borders"][0]["clearance_hours"] == round(tfi1, 3)
    # "use these clearance times in planning": the document saves as a scenario
    saved = api.post("/scenarios", json={"document": planner})
    assert saved.status_code == 201, saved.text
    # the same seed gives the same result (the engine's bit-for-bit promise, through the API)
    again = _wait(
        api, api.post("/runs", json={"kind": "simulate-border", "params": SHORT}).json()["id"]
    )
    assert again["result"]["summary"]["groups"] == result["summary"]["groups"]
    assert [d["id"] for d in api.get("/runs").json()][:2] == [again["id"], run_id]
    # the events of a finished run end at once, with the run (without its result)
    with api.client.stream("GET", f"/api/v1/runs/{run_id}/events") as stream:
        lines = [line for line in stream.iter_lines() if line.startswith("data:")]
    final = json.loads(lines[-1].removeprefix("data: "))
    assert final["status"] == "done" and "result" not in final


def test_port_run(api: Api) -> None:
    params = {"days": 3, "replications": 1, "levers": {"berths": 3}}
    r = api.post("/runs", json={"kind": "simulate-port", "params": params})
    doc = _wait(api, r.json()["id"])
    assert doc["status"] == "done", doc["message"]
    assert "stock" in doc["result"]["series"] and "planner_scenario" not in doc["result"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"days": 1000}, "days must be from 0.1 to 60"),
        ({"replications": 0}, "replications must be a whole number"),
        ({"scenario": "magic"}, "scenario must be one of baseline"),
        ({"levers": {"booths": 3}}, "unknown field 'booths'"),
        ({"levers": {"edeclaration_share": 2}}, "edeclaration_share"),
        ({"levers": {"equeue": "yes"}}, "equeue"),
        ({"colour": 1}, "unknown key"),
    ],
)
def test_bad_params_are_422_before_queueing(
    reader: Api, params: dict[str, Any], words: str
) -> None:
    r = reader.post("/runs", json={"kind": "simulate-border", "params": params})
    assert r.status_code == 422 and words in r.json()["error"]["message"], r.text
    assert r.json()["error"]["field"] == "params"


def test_kinds_describe_their_levers(reader: Api) -> None:
    kinds = {k["kind"]: k for k in reader.get("/runs/kinds").json()}
    assert all(k["available"] for k in kinds.values())
    border = kinds["simulate-border"]
    assert "software" in border["scenarios"]
    lever = next(x for x in border["levers"] if x["name"] == "edeclaration_share")
    assert lever["min"] == 0 and lever["max"] == 1
    assert "ue" in kinds["flows-assign"]["methods"]
    r = reader.post("/runs", json={"kind": "flows-assign", "params": {"method": "magic"}})
    assert r.status_code == 422 and "method must be one of" in r.json()["error"]["message"]
    r = reader.post("/runs", json={"kind": "flows-assign", "params": {"scenario": "/etc/x.yaml"}})
    assert r.status_code == 422 and "built-in scenario" in r.json()["error"]["message"]


def test_flows_assign_run(reader: Api) -> None:
    params = {"method": "ue", "scenario": "astara-digital-border"}
    run_id = reader.post("/runs", json={"kind": "flows-assign", "params": params}).json()["id"]
    doc = _wait(reader, run_id)
    assert doc["status"] == "done", doc["message"]
    result = doc["result"]
    assert result["summary"]["demand_tonnes_per_year"] > 0 and result["elements"]
    assert result["geojson"]["type"] == "FeatureCollection"


def test_runs_need_a_token(reader: Api) -> None:
    r = reader.post("/runs", json={"kind": "simulate-border", "params": SHORT}, auth=False)
    assert r.status_code == 401
    assert reader.get("/runs/0123456789abcdef0123456789abcdef").status_code == 404


def test_cancel_stops_a_long_run(api: Api) -> None:
    long = {"scenario": "baseline", "days": 60, "replications": 20}
    run_id = api.post("/runs", json={"kind": "simulate-border", "params": long}).json()["id"]
    time.sleep(1.0)
    r = api.post(f"/runs/{run_id}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    time.sleep(1.5)
    doc = api.get(f"/runs/{run_id}").json()
    assert doc["status"] == "cancelled" and doc["result"] is None
    again = api.post(f"/runs/{run_id}/cancel")
    assert again.status_code == 409


def test_time_limit_fails_the_run(tmp_path: Any) -> None:
    settings = Settings(run_time_limit_s=1.0, static_dir=None)
    for api in make_api(f"sqlite:///{tmp_path / 'x.sqlite3'}", settings):
        long = {"days": 60, "replications": 20}
        run_id = api.post("/runs", json={"kind": "simulate-border", "params": long}).json()["id"]
        doc = _wait(api, run_id, timeout_s=30)
        assert doc["status"] == "failed" and "run-time limit of 1 s" in doc["message"]


def test_queue_is_bounded(tmp_path: Any) -> None:
    settings = Settings(max_queued_runs=1, run_workers=1, static_dir=None)
    for api in make_api(f"sqlite:///{tmp_path / 'x.sqlite3'}", settings):
        long = {"days": 60, "replications": 20}
        codes = [
            api.post("/runs", json={"kind": "simulate-border", "params": long}).status_code
            for _ in range(4)
        ]
        assert codes[-1] == 503
        for run in api.get("/runs").json():
            api.post(f"/runs/{run['id']}/cancel")


def test_restart_fails_running_runs_and_resumes_queued(database_url: str) -> None:
    from caspian.db import open_database

    engine = open_database(database_url)
    with Session(engine) as session, session.begin():
        session.add(
            Run(id="a" * 32, kind="simulate-border", params={}, status="running", progress=0.4,
                message="", created_at=now())
        )  # fmt: skip
        params = {"scenario": "baseline", "days": 0.5, "replications": 1, "seed": 0, "levers": {}}
        session.add(
            Run(id="b" * 32, kind="simulate-border", params=params, status="queued",
                progress=0.0, message="", created_at=now())
        )  # fmt: skip
    engine.dispose()
    for api in make_api(database_url):
        stopped = api.get(f"/runs/{'a' * 32}").json()
        assert stopped["status"] == "failed"
        assert stopped["message"] == "server stopped during the run"
        assert _wait(api, "b" * 32)["status"] == "done"
