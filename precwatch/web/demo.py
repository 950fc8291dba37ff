"""`make demo-hub`: the hub on a fresh SQLite file with sample organisations, users, incidents, a watch rule
and its alerts, pre-export notifications and marketplace snapshots (from `examples/market/`), served on
localhost, with a sign-in link printed for each demo user.

`python -m precwatch.web.demo [--db demo-hub.db] [--port 8000]`. The secret is random for each run, so the
printed tokens work only for this database; nothing here is for production.
"""

from __future__ import annotations

import argparse
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from precwatch.data import load_kb
from precwatch.hub import Hub
from precwatch.pipelines.market import ingest
from precwatch.store.market import MarketStore

ORGS = (("Agencia Nacional de Aduanas de México", "MX"), ("U.S. Customs and Border Protection", "US"),
        ("General Administration of Customs of China", "CN"))  # fmt: skip
USERS = (("analyst@anam.example", "MX", "analyst"), ("analyst@cbp.example", "US", "analyst"),
         ("analyst@gacc.example", "CN", "analyst"), ("viewer@anam.example", "MX", "viewer"))  # fmt: skip
SUBSTANCES = ("N-phenethyl-4-piperidone (NPP)", "4-anilinopiperidine", "1-boc-4-piperidone",
              "4-AP hydrochloride", "propionyl chloride", "ANPP")  # fmt: skip
ROUTES = (("CN", "MX"), ("CN", "US"), ("IN", "MX"), ("CN", "GT"), ("MX", "US"), ("DE", "MX"))
TLPS = ("green", "amber", "clear", "amber", "green", "red")


def sample_incident(i: int, *, share_with: list[int]) -> dict[str, Any]:
    """The i-th sample incident: spread over 12 months, substances, routes and TLP levels."""
    origin, dest = ROUTES[i % len(ROUTES)]
    occurred = date(2025, 1, 5) + timedelta(days=29 * (i % 12) + i)
    tlp = TLPS[i % len(TLPS)]
    return {
        "type": ("seizure", "stopped-shipment", "suspicious-order")[i % 3],
        "occurred_on": occurred.isoformat(),
        "reported_on": (occurred + timedelta(days=2)).isoformat(),
        "country": dest,
        "place": ("Manzanillo", "Lázaro Cárdenas", "Long Beach", "Veracruz")[i % 4],
        "substances_text": f"{10 + 7 * i} drums of {SUBSTANCES[i % len(SUBSTANCES)]}",
        "quantity": 100 + 25 * i,
        "unit": "kg",
        "route": {"origin": {"country": origin}, "destination": {"country": dest}},
        "parties": [
            {
                "kind": "company",
                "role": "consignor",
                "name": f"Sample Trading Co {i % 5}",
                "phones": [f"+86 21 5555 01{i % 50:02d}"],
                "owner_only": ["phones"],
            }
        ],
        "narrative": "Sample record of the demo hub.",
        "tlp": "amber" if tlp == "red" else tlp,
        "shared_with_orgs": share_with if tlp == "amber" or tlp == "red" else [],
    }


def sample_notification(i: int) -> dict[str, Any]:
    """The i-th sample pre-export notification: China notifies Mexico of an NPP or 4-AP shipment by sea."""
    return {
        "reference": f"GACC-2026-{100 + i:04d}",
        "exporter": {"name": f"Sample Fine Chemicals Co {i}", "country": "CN", "address": "Wuhan"},
        "importer": {"name": "Química Demo del Pacífico S.A. de C.V.", "country": "MX"},
        "substances": [
            {"substance": ("39742-60-4", "23056-29-3")[i % 2], "quantity": 25 * (i + 1), "unit": "kg"}
        ],
        "point_of_entry": {"port": "MXZLO"},
        "dispatch_on": (date.today() + timedelta(days=10 + i)).isoformat(),
        "transport": "sea",
        "response_days": (15, 30, 20)[i % 3],
        "tlp": "amber",
    }


def seed(hub: Hub, *, secret: str, incidents: int = 36) -> dict[str, str]:
    """Create the organisations, users, a watch rule (the US analyst watches NPP, so the incidents shared with
    CBP raise alerts), the incidents and three notifications from GACC to Mexico (one acknowledged); returns
    each user's e-mail → a new 7-day token."""
    orgs = {code: hub.create_org(name, code) for name, code in ORGS}
    tokens: dict[str, str] = {}
    viewers = {}
    for email, code, role in USERS:
        user = hub.create_user(email, orgs[code].id, role=role)  # type: ignore[arg-type]
        expires = datetime.now(UTC) + timedelta(days=7)
        tokens[email] = hub.issue_token(user.id, expires, secret=secret)[1]
        viewers[code, role] = hub.authenticate(tokens[email], secret)
    authors = [viewers["MX", "analyst"], viewers["US", "analyst"], viewers["CN", "analyst"]]
    us, cn, mx = viewers["US", "analyst"], viewers["CN", "analyst"], viewers["MX", "analyst"]
    assert us is not None and cn is not None and mx is not None
    hub.create_watch_rule(us, kind="substance", value="NPP")
    for i in range(incidents):
        author = authors[i % 3]
        assert author is not None
        partners = [o.id for o in orgs.values() if o.id != author.org_id][: 1 + (i // 6) % 2]
        hub.create_incident(author, sample_incident(i, share_with=partners))
    sent = [hub.create_notification(cn, sample_notification(i)) for i in range(3)]
    hub.act_on_notification(mx, sent[0]["id"], action="acknowledge", expected_version=1)
    return tokens


MARKET_SNAPSHOTS = (
    ("made-in-china", "examples/market/made-in-china/{d}"),
    ("tradehub", "examples/market/tradehub/{d}.jsonl"),
)
MARKET_DATES = ("2024-03-01", "2024-06-01", "2024-09-15")


def seed_market(hub: Hub, examples: Path) -> int:
    """Ingest the example marketplace snapshots into the hub's database; returns how many were stored."""
    store = MarketStore(hub.engine)
    done = 0
    for platform, pattern in MARKET_SNAPSHOTS:
        for day in MARKET_DATES:
            path = examples.parent / pattern.format(d=day)
            if path.exists():
                ingest(store, str(path), platform=platform, captured_at=day, kb=hub.kb)
                done += 1
    return done


def main(argv: list[str] | None = None) -> None:
    """Build the demo database, print the sign-in links, serve until Ctrl-C."""
    import uvicorn

    from precwatch.settings import load_settings
    from precwatch.web.app import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", default="demo-hub.db")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    url = f"sqlite:///{args.db}"
    secret = secrets.token_urlsafe(24)
    hub = Hub.from_url(url, load_kb())
    hub.init()
    tokens = seed(hub, secret=secret)
    seed_market(hub, Path("examples"))
    base = f"http://127.0.0.1:{args.port}"
    print(f"precwatch demo hub on {base} (database {args.db}); sign in as:")
    for email, token in tokens.items():
        print(f"  {email:26} {base}/ui/sign-in/link?token={token}")
    settings = load_settings(secret=secret, database_url=url, port=args.port)
    uvicorn.run(create_app(settings, hub), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
