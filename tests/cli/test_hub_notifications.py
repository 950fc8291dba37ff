"""`precwatch hub notification create|list|show|respond` end to end on a real database file (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from precwatch.cli import main
from tests.support.notifications import notification

ENV = {"PRECWATCH_HUB_SECRET": "cli-test-secret-0123456789"}


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--database-url", url], env=ENV)


def _setup(url: str) -> None:
    assert run(url, "hub", "init").exit_code == 0
    for name, country in (("GAC", "CN"), ("ANAM", "MX"), ("CBP", "US")):
        assert run(url, "hub", "create-org", name, "--country", country).exit_code == 0
    for email, org in (("li@gac.cn", "GAC"), ("ana@anam.mx", "ANAM"), ("bo@cbp.us", "CBP")):
        r = run(url, "hub", "create-user", email, "--org", org, "--role", "analyst")
        assert r.exit_code == 0, r.output


def test_notification_life_cycle(db_url: str, tmp_path: Path) -> None:
    _setup(db_url)
    body = tmp_path / "n.json"
    body.write_text(json.dumps(notification()), encoding="utf-8")
    made = run(db_url, "hub", "notification", "create", str(body), "--user", "li@gac.cn")
    assert made.exit_code == 0, made.output
    nid = json.loads(made.stdout)["id"]

    listed = run(db_url, "hub", "notification", "list", "--user", "ana@anam.mx", "--state", "submitted")
    assert [json.loads(x)["id"] for x in listed.stdout.splitlines()] == [nid]
    assert "1 of 1 notification(s)" in listed.stderr
    hidden = run(db_url, "hub", "notification", "list", "--user", "bo@cbp.us")
    assert hidden.stdout == ""
    assert run(db_url, "hub", "notification", "show", nid, "--user", "bo@cbp.us").exit_code == 1

    refused = run(
        db_url, "hub", "notification", "respond", nid, "--user", "ana@anam.mx", "--action", "object"
    )
    assert refused.exit_code == 1
    assert "reason" in refused.stderr
    objected = run(
        db_url, "hub", "notification", "respond", nid, "--user", "ana@anam.mx",
        "--action", "object", "--reason", "importer has no licence",
    )  # fmt: skip
    assert objected.exit_code == 0, objected.output
    assert json.loads(objected.stdout)["state"] == "objected"
    again = run(db_url, "hub", "notification", "respond", nid, "--user", "ana@anam.mx", "--action", "clear")
    assert again.exit_code == 1
    assert "cannot clear a notification that is objected" in again.stderr

    shown = run(db_url, "hub", "notification", "show", nid, "--user", "li@gac.cn", "--history")
    data = json.loads(shown.stdout)
    assert [h["to_state"] for h in data["history"]] == ["submitted", "objected"]
    assert run(db_url, "hub", "audit", "verify").exit_code == 0


def test_bad_body_names_the_file_and_field(db_url: str, tmp_path: Path) -> None:
    _setup(db_url)
    body = tmp_path / "bad.json"
    body.write_text(json.dumps(notification(transport="teleport")), encoding="utf-8")
    r = run(db_url, "hub", "notification", "create", str(body), "--user", "li@gac.cn")
    assert r.exit_code == 1
    assert f"{body}: field transport" in r.stderr
    body.write_text("{\n  oops", encoding="utf-8")
    r = run(db_url, "hub", "notification", "create", str(body), "--user", "li@gac.cn")
    assert "line 2" in r.stderr


def test_export_as_user_or_token(db_url: str, tmp_path: Path) -> None:
    from precwatch.core.sharing.tlp import Viewer
    from precwatch.data import load_kb
    from precwatch.hub import Hub
    from precwatch.io.exports.stix import stix_id
    from tests.support.samples import seizure

    _setup(db_url)
    token = run(db_url, "hub", "issue-token", "bo@cbp.us").stdout.strip()
    hub = Hub.from_url(db_url, load_kb())
    try:
        ana = hub.get_user_by_email("ana@anam.mx")
        viewer = Viewer(ana.id, ana.org_id, ana.role, ana.email)
        amber = hub.create_incident(viewer, seizure(tlp="amber"))
        green = hub.create_incident(viewer, seizure(tlp="green", owner_only=["phones"]))
    finally:
        hub.close()
    own = run(db_url, "hub", "export", "--format", "stix", "--user", "ana@anam.mx")
    assert own.exit_code == 0, own.output
    ids = {o["id"] for o in json.loads(own.stdout)["objects"] if o["type"] == "incident"}
    assert ids == {stix_id("incident", amber["id"]), stix_id("incident", green["id"])}
    assert own.stdout.count('"type": "incident"') == 2
    out = tmp_path / "us.json"
    partner = run(db_url, "hub", "export", "--format", "misp", "--token", token, "--out", str(out))
    assert partner.exit_code == 0, partner.output
    events = json.loads(out.read_text())["response"]
    assert len(events) == 1  # the amber incident is not shared with the US
    assert "+52 55 5555 0101" not in out.read_text()  # owner-only phone
    missing = run(
        db_url, "hub", "export", "--format", "ftm", "--user", "bo@cbp.us", "--incident", amber["id"]
    )
    assert missing.exit_code == 1
    assert (
        run(
            db_url, "hub", "export", "--format", "ftm", "--user", "bo@cbp.us", "--incident", green["id"]
        ).exit_code
        == 0
    )
    both = run(db_url, "hub", "export", "--format", "ftm", "--user", "bo@cbp.us", "--token", token)
    assert both.exit_code == 2
