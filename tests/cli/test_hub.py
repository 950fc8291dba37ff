"""The hub's command line end to end: init, organisations, users and tokens, `precwatch serve` in a real
process answering the token it printed, revocation, and audit verification that catches tampering."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

import precwatch.cli.hub  # noqa: F401  (attaches `serve` and `hub` to the main command)
from precwatch.cli import main
from precwatch.store.db import make_engine
from precwatch.store.tables import audit_log

SECRET = "cli-test-secret-0123456789"
ENV = {"PRECWATCH_HUB_SECRET": SECRET}
SERVE = "from precwatch.cli import main; import precwatch.cli.hub; main()"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV if env is None else env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[str, str]]:
    """`precwatch serve` in a subprocess on an initialised database with one org and one analyst."""
    assert run("hub", "init", "--database-url", db_url).exit_code == 0
    assert run("hub", "create-org", "Aduana MX", "--country", "mx", "--database-url", db_url).exit_code == 0
    port = free_port()
    env = {**os.environ, **ENV, "PRECWATCH_HUB_DATABASE_URL": db_url}
    cmd = [sys.executable, "-c", SERVE, "serve", "--port", str(port), "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()[0]
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "precwatch serve did not come up"
            time.sleep(0.1)
        yield base, db_url
    finally:
        proc.terminate()
        proc.wait(20)


def test_create_user_prints_a_token_that_works_against_the_live_hub(served: tuple[str, str]) -> None:
    base, url = served
    made = run(
        "hub",
        "create-user",
        "Ana@aduana.example",
        "--org",
        "Aduana MX",
        "--role",
        "analyst",
        "--database-url",
        url,
    )
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert re.fullmatch(r"pwt_[A-Za-z0-9_-]{40,}", token), (
        made.stdout
    )  # stdout holds the token and nothing else
    token_id = re.search(r"token ([0-9a-f]{32}) expires", made.stderr).group(1)  # type: ignore[union-attr]
    auth = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{base}/api/v1/me", headers=auth).json()
    assert (me["email"], me["role"], me["org"]["name"]) == ("ana@aduana.example", "analyst", "Aduana MX")
    body = {
        "type": "seizure",
        "occurred_on": "2025-06-01",
        "country": "MX",
        "substances_text": "4-anilinopiperidine",
    }
    created = httpx.post(f"{base}/api/v1/incidents", json=body, headers=auth)
    assert created.status_code == 201 and created.json()["substances"][0]["substance"] == "4-ap"

    revoked = run("hub", "revoke-token", token_id, "--database-url", url)
    assert revoked.exit_code == 0 and f"token {token_id} revoked" in revoked.output
    assert httpx.get(f"{base}/api/v1/me", headers=auth).status_code == 401
    assert run("hub", "revoke-token", token_id, "--database-url", url).exit_code == 1

    again = run("hub", "issue-token", "ana@aduana.example", "--expires-days", "1", "--database-url", url)
    assert again.exit_code == 0
    fresh = {"Authorization": f"Bearer {again.stdout.strip()}"}
    assert httpx.get(f"{base}/api/v1/me", headers=fresh).status_code == 200

    # The token only works with the secret it was issued under.
    other = run("hub", "issue-token", "ana@aduana.example", "--database-url", url, "--secret", "x" * 20)
    assert (
        httpx.get(
            f"{base}/api/v1/me", headers={"Authorization": f"Bearer {other.stdout.strip()}"}
        ).status_code
        == 401
    )

    verified = run("hub", "audit", "verify", "--database-url", url)
    assert verified.exit_code == 0 and "audit log intact" in verified.output


def test_commands_explain_what_is_wrong(db_url: str) -> None:
    no_secret = run("hub", "init", "--database-url", db_url, env={"PRECWATCH_HUB_SECRET": ""})
    assert no_secret.exit_code == 1 and "PRECWATCH_HUB_SECRET" in no_secret.output
    short = run("hub", "init", "--database-url", db_url, "--secret", "short")
    assert short.exit_code == 1 and "at least 16 characters" in short.output
    serve = run("serve", "--database-url", db_url)
    assert serve.exit_code == 1 and "precwatch hub init" in serve.output
    first = run("hub", "init", "--database-url", db_url)
    assert first.exit_code == 0 and "schema created" in first.output
    assert "already current" in run("hub", "init", "--database-url", db_url).output
    assert run("hub", "create-org", "CBP", "--country", "US", "--database-url", db_url).exit_code == 0
    dup = run("hub", "create-org", "CBP", "--country", "US", "--database-url", db_url)
    assert dup.exit_code == 1 and "exists" in dup.output
    bad_country = run("hub", "create-org", "X", "--country", "USA", "--database-url", db_url)
    assert bad_country.exit_code == 1 and "country" in bad_country.output
    no_org = run(
        "hub", "create-user", "a@b.example", "--org", "Nobody", "--role", "admin", "--database-url", db_url
    )
    assert no_org.exit_code == 1 and "Nobody" in no_org.output
    bad_role = run(
        "hub", "create-user", "a@b.example", "--org", "CBP", "--role", "boss", "--database-url", db_url
    )
    assert bad_role.exit_code == 2


def _populate(url: str) -> None:
    for args in (
        ("hub", "init"),
        ("hub", "create-org", "Aduana MX", "--country", "MX"),
        ("hub", "create-org", "CBP", "--country", "US"),
        ("hub", "create-user", "a@mx.example", "--org", "Aduana MX", "--role", "analyst"),
        ("hub", "create-user", "b@us.example", "--org", "CBP", "--role", "viewer"),
        ("hub", "create-user", "c@us.example", "--org", "CBP", "--role", "admin"),
    ):
        assert run(*args, "--database-url", url).exit_code == 0


def _verify(url: str) -> Result:
    return run("hub", "audit", "verify", "--database-url", url)


def _drop_append_only_guard(engine: Engine) -> None:
    """What an intruder with DDL rights does first: remove the triggers that refuse UPDATE and DELETE."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_audit_verify_names_edited_deleted_and_reordered_entries(db_url: str) -> None:
    _populate(db_url)
    ok = _verify(db_url)
    assert ok.exit_code == 0 and "8 entries" in ok.output, ok.output
    engine = make_engine(db_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(delete(audit_log).where(audit_log.c.seq == 3))
        _drop_append_only_guard(engine)
        with engine.connect() as conn:
            rows = {r["seq"]: dict(r) for r in conn.execute(select(audit_log)).mappings()}

        def restore(*seqs: int) -> None:
            with engine.begin() as conn:
                conn.execute(delete(audit_log).where(audit_log.c.seq.in_(seqs)))
                conn.execute(insert(audit_log), [rows[s] for s in seqs])
            assert _verify(db_url).exit_code == 0

        def tampered(change: Any) -> str:
            with engine.begin() as conn:
                conn.execute(change)
            result = _verify(db_url)
            assert result.exit_code == 1, result.output
            assert "intact" not in result.output
            return result.output

        edited = tampered(
            update(audit_log).where(audit_log.c.seq == 4).values(detail='{"email": "x@evil.example"}')
        )
        assert "entry seq 4: content does not match its hash" in edited
        restore(4)
        actor = tampered(update(audit_log).where(audit_log.c.seq == 2).values(actor_user_id=99))
        assert "seq 2" in actor
        restore(2)
        gone = tampered(delete(audit_log).where(audit_log.c.seq == 6))
        assert "seq 6" in gone and "deleted" in gone
        restore(6)
        tail = tampered(delete(audit_log).where(audit_log.c.seq == 8))
        assert "seq 8" in tail and "deleted" in tail
        restore(8)
        with engine.begin() as conn:  # swap the contents of entries 5 and 7, each keeping its own hash
            conn.execute(delete(audit_log).where(audit_log.c.seq.in_((5, 7))))
            conn.execute(insert(audit_log), [{**rows[7], "seq": 5}, {**rows[5], "seq": 7}])
        moved = _verify(db_url)
        assert moved.exit_code == 1 and "seq 5" in moved.output and "7" in moved.output, moved.output
        restore(5, 7)
    finally:
        engine.dispose()
