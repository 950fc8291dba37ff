"""`precwatch hub rescreen` and `precwatch hub deliver-webhooks` end to end on both databases."""

from __future__ import annotations

import json
from importlib import resources

from click.testing import CliRunner, Result

from precwatch.cli import main
from precwatch.core.sharing.tlp import Viewer
from precwatch.data import load_kb
from precwatch.data.warninglists import load_warninglist
from precwatch.hub import Hub
from tests.support.samples import seizure

SECRET = "cli-test-secret-0123456789"
OLD = str(resources.files("precwatch.data").joinpath("history", "2026.11.1.yaml"))


def run(db_url: str, *args: str) -> Result:
    env = {"PRECWATCH_HUB_SECRET": SECRET, "PRECWATCH_HUB_DATABASE_URL": db_url}
    return CliRunner().invoke(main, list(args), env=env)


def populate(db_url: str) -> tuple[Hub, dict[str, Viewer], list[str]]:
    hub = Hub.from_url(db_url, load_kb(), warninglist=load_warninglist())
    hub.init()
    orgs = {c: hub.create_org(f"{c} agency", c) for c in ("MX", "US")}
    viewers = {}
    for name, org in (("mx", "MX"), ("mx2", "MX"), ("us", "US")):
        u = hub.create_user(f"{name}@x.example", orgs[org].id, role="analyst")
        viewers[name] = Viewer(u.id, u.org_id, u.role, u.email)
    texts = [
        "12 drums of xylazine hydrochloride",
        "2-methyl-AP-237 powder",
        "NPP 25 kg",
        "3-methyl-4-piperidone",
    ]
    ids = []
    for i, text in enumerate(texts):
        tlp = "amber" if i % 2 else "green"
        ids.append(hub.create_incident(viewers["mx"], seizure(substances_text=text, tlp=tlp))["id"])
    return hub, viewers, ids


def test_rescreen_alerts_everyone_who_may_see_new_hits_and_resumes(db_url: str) -> None:
    hub, v, ids = populate(db_url)
    try:
        first = run(db_url, "hub", "rescreen", "--old", OLD, "--stop-after", "1", "--no-progress")
        assert first.exit_code == 0, first.output
        partial = json.loads(first.stdout)
        assert partial["changed"] and partial["processed"] >= 1
        rest = run(db_url, "hub", "rescreen", "--old", OLD, "--no-progress")
        summary = json.loads(rest.stdout)
        assert summary["resumed"] and summary["total_processed"] == 4
        assert summary["processed"] == 4 - partial["processed"]
        # new under 2026.12.1: xylazine (green), 2-methyl-AP-237 (amber), 3-methyl-4-piperidone (amber)
        assert summary["new_hits"] + partial["new_hits"] == 3
        mx_alerts, _, _ = hub.alerts(v["mx2"])
        assert {a["record_id"] for a in mx_alerts} == {ids[0], ids[1], ids[3]}
        assert all(a["kind"] == "rescreen" and "under KB v2026.12.1" in a["message"] for a in mx_alerts)
        us_alerts, _, _ = hub.alerts(v["us"])
        assert {a["record_id"] for a in us_alerts} == {ids[0]}  # the amber ones are not shared with US
        again = json.loads(run(db_url, "hub", "rescreen", "--old", OLD, "--no-progress").stdout)
        assert again["processed"] == 0 and again["alerts"] == 0
        same = json.loads(run(db_url, "hub", "rescreen", "--old", OLD, "--new", OLD).stdout)
        assert same["changed"] is False
    finally:
        hub.close()


def test_rescreen_names_a_bad_knowledge_base(db_url: str, tmp_path: object) -> None:
    result = run(db_url, "hub", "rescreen", "--old", "missing.yaml")
    assert result.exit_code != 0 and "missing.yaml" in result.output


def test_deliver_webhooks_reports_its_pass(db_url: str) -> None:
    """A receiver on an allowed network that refuses the connection is retried; the pass says so."""
    hub, v, _ = populate(db_url)
    try:
        hub.create_watch_rule(v["us"], kind="substance", value="NPP", webhook_url="http://127.0.0.1:9/x")
        hub.create_incident(v["mx"], seizure())
        args = ["hub", "deliver-webhooks", "--max-attempts", "2", "--timeout", "2"]
        result = run(db_url, *args, "--allow-network", "127.0.0.0/8")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == {"delivered": 0, "retry": 1, "dead": 0, "queue": {"pending": 1}}
    finally:
        hub.close()


def test_deliver_webhooks_refuses_loopback_unless_allowed(db_url: str) -> None:
    """Without an allowed network, a webhook on localhost is dead-lettered at once, whatever the attempts left."""
    hub, v, _ = populate(db_url)
    try:
        hub.create_watch_rule(v["us"], kind="substance", value="NPP", webhook_url="http://127.0.0.1:9/x")
        hub.create_incident(v["mx"], seizure())
        result = run(db_url, "hub", "deliver-webhooks", "--max-attempts", "6", "--timeout", "2")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == {"delivered": 0, "retry": 0, "dead": 1, "queue": {"dead": 1}}
        bad = run(db_url, "hub", "deliver-webhooks", "--allow-network", "10.0.0.0/33")
        assert bad.exit_code == 2 and "10.0.0.0/33" in bad.output
    finally:
        hub.close()
