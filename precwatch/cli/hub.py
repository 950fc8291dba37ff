"""`precwatch serve` and `precwatch hub ...`: run the sharing hub and administer it from the shell.

`precwatch.cli.main` imports this module when one of its commands runs. Framework imports (FastAPI, SQLAlchemy,
uvicorn, pydantic) happen inside the commands, so the rest of the CLI starts fast and works without the
`hub` extra installed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import click

from precwatch.cli.common import HUB_TOKEN_ENV, fail, token_option

if TYPE_CHECKING:
    from precwatch.hub import Hub
    from precwatch.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def _hub_options(func: F) -> F:
    """`--database-url` and `--secret`, which every hub command takes (defaults: PRECWATCH_HUB_* settings)."""
    func = click.option(
        "--secret",
        metavar="TEXT",
        default=None,
        help="Token HMAC key (default: $PRECWATCH_HUB_SECRET; required, at least 16 characters).",
    )(func)
    func = click.option(
        "--database-url",
        metavar="URL",
        default=None,
        help="SQLAlchemy URL (default: $PRECWATCH_HUB_DATABASE_URL or sqlite:///precwatch-hub.db).",
    )(func)
    return func


def _settings(**values: Any) -> Settings:
    try:
        from precwatch.settings import SettingsError, load_settings
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise click.ClickException(
            f"the hub needs the 'hub' extra: pip install 'precwatch[hub]' ({exc})"
        ) from exc
    try:
        return load_settings(**values)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _hub(settings: Settings) -> Iterator[Hub]:
    """The hub on the settings' database with the bundled knowledge base; its errors become CLI errors."""
    from precwatch.data import load_kb
    from precwatch.data.warninglists import load_warninglist
    from precwatch.hub import Hub, HubError

    hub = Hub.from_url(settings.hub.database_url, load_kb(), warninglist=load_warninglist())
    try:
        yield hub
    except HubError as exc:
        raise click.ClickException(str(exc)) from exc
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        hub.close()


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@_hub_options
@click.option("--host", default=None, help="Address to bind (default: $PRECWATCH_HUB_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: $PRECWATCH_HUB_PORT or 8000).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Server processes (default: $PRECWATCH_HUB_WORKERS or 1).",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
def serve(
    database_url: str | None,
    secret: str | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    access_log: bool,
) -> None:
    """Run the sharing hub (REST API under /api/v1, OpenAPI at /docs) on uvicorn.

    Run `precwatch hub init` once first; the secret must be the one the tokens were issued with.
    """
    settings = _settings(database_url=database_url, secret=secret, host=host, port=port, workers=workers)
    import uvicorn

    from precwatch.settings import settings_env
    from precwatch.store.db import current_revision
    from precwatch.web.app import create_app, settle_heap

    app = create_app(settings)
    if current_revision(app.state.hub.engine) is None:
        raise click.ClickException(
            f"the database at {_safe_url(settings.hub.database_url)} has no hub schema: run `precwatch hub init` first"
        )
    web = settings.web
    _echo_err(
        f"precwatch hub on http://{web.host}:{web.port} with {web.workers} worker(s) (API docs at /docs)"
    )
    options: dict[str, Any] = {"host": web.host, "port": web.port, "access_log": access_log}
    if web.workers == 1:
        settle_heap(app)
        uvicorn.run(app, log_level="info", **options)
        return
    # Worker processes build their own app from the same settings, handed down through their environment.
    app.state.hub.close()
    os.environ.update(settings_env(settings))
    _run_workers(settings, access_log)


def _run_workers(settings: Settings, access_log: bool) -> None:
    """uvicorn's multi-process supervisor on a listening socket made here with protocol TCP, so asyncio
    sets TCP_NODELAY on each connection (uvicorn's own socket has protocol 0 and gets Nagle's 40 ms stalls)."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    web = settings.web
    config = uvicorn.Config(
        "precwatch.web.app:serving_app_from_env",
        factory=True,
        host=web.host,
        port=web.port,
        workers=web.workers,
        access_log=access_log,
    )
    family = socket.AF_INET6 if ":" in web.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((web.host, web.port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {web.host}:{web.port}: {exc}") from exc
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.group()
def hub() -> None:
    """Administer the sharing hub: schema, organisations, users, tokens, audit log."""


@hub.command("init")
@_hub_options
def hub_init(database_url: str | None, secret: str | None) -> None:
    """Create the hub's database schema, or upgrade it to the latest version (safe to repeat)."""
    settings = _settings(database_url=database_url, secret=secret)
    from precwatch.store.db import current_revision

    with _hub(settings) as hub:
        before = current_revision(hub.engine)
        hub.init()
        after = current_revision(hub.engine)
    where = _safe_url(settings.hub.database_url)
    if before == after:
        click.echo(f"schema at {after} (already current) in {where}")
    else:
        click.echo(
            f"schema {'created' if before is None else 'upgraded from ' + before} at {after} in {where}"
        )


@hub.command("create-org")
@_hub_options
@click.argument("name")
@click.option("--country", required=True, metavar="XX", help="ISO 3166-1 alpha-2 country code.")
def hub_create_org(database_url: str | None, secret: str | None, name: str, country: str) -> None:
    """Register an organisation (a customs service, a drug-control authority, a marketplace)."""
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        org = hub.create_org(name, country)
    click.echo(f"organisation {org.id}: {org.name} ({org.country})")


def _issue(hub: Hub, settings: Settings, *, user_id: int, expires_days: int | None) -> None:
    days = expires_days if expires_days is not None else settings.hub.token_ttl_days
    expires = datetime.now(UTC) + timedelta(days=days)
    info, raw = hub.issue_token(user_id, expires, secret=settings.hub.secret.get_secret_value())
    _echo_err(f"token {info.id} expires {info.expires_at:%Y-%m-%d %H:%M} UTC; it is shown only now:")
    click.echo(raw)


_expires_option = click.option(
    "--expires-days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Token lifetime (default: token_ttl_days, 90).",
)


@hub.command("create-user")
@_hub_options
@click.argument("email")
@click.option("--org", "org_name", required=True, metavar="NAME", help="The user's organisation (its name).")
@click.option(
    "--role", type=click.Choice(["admin", "analyst", "viewer"]), required=True, help="What the user may do."
)
@_expires_option
def hub_create_user(
    database_url: str | None,
    secret: str | None,
    email: str,
    org_name: str,
    role: str,
    expires_days: int | None,
) -> None:
    """Add a user and print their first API token (on standard output, once; only its hash is stored)."""
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        org = hub.get_org_by_name(org_name)
        user = hub.create_user(email, org.id, role=role)  # type: ignore[arg-type]  # click.Choice checked it
        _echo_err(f"user {user.id}: {user.email} ({user.role}) in {org.name}")
        _issue(hub, settings, user_id=user.id, expires_days=expires_days)


@hub.command("issue-token")
@_hub_options
@click.argument("email")
@_expires_option
def hub_issue_token(
    database_url: str | None, secret: str | None, email: str, expires_days: int | None
) -> None:
    """Print a new API token for an existing user (once; e.g. after revoking a lost one)."""
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        user = hub.get_user_by_email(email)
        _issue(hub, settings, user_id=user.id, expires_days=expires_days)


@hub.command("revoke-token")
@_hub_options
@click.argument("token_id")
def hub_revoke_token(database_url: str | None, secret: str | None, token_id: str) -> None:
    """Revoke an API token by its id (printed when it was issued); it stops working at once."""
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        revoked = hub.revoke_token(token_id)
    if not revoked:
        raise click.ClickException(f"no live token {token_id!r} (unknown or already revoked)")
    click.echo(f"token {token_id} revoked")


@hub.group("audit")
def hub_audit() -> None:
    """Check the hash-chained audit log."""


@hub_audit.command("verify")
@_hub_options
def hub_audit_verify(database_url: str | None, secret: str | None) -> None:
    """Check every audit entry against the hash chain; exit 1 naming each edited, deleted or moved entry."""
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        problems = hub.verify_audit()
        count = hub.audit_entry_count()
    if problems:
        for problem in problems:
            _echo_err(f"tampered: {problem}")
        raise SystemExit(1)
    click.echo(f"audit log intact: {count} entries, every hash and link checks out")


@hub.command("publish")
@click.argument("incident_id")
@click.option("--hub", "hub_url", required=True, metavar="URL", help="The hub's base URL.")
@token_option
def hub_publish(incident_id: str, hub_url: str, token: str | None) -> None:
    """Publish a draft incident (e.g. a seizure pushed by `precwatch osint ... --push-hub`) once you have
    checked it: from then on it is shared by its TLP. Needs an analyst's or admin's token of the owner
    organisation; the hub's audit chain records who published it."""
    from precwatch.io.hub_client import HubClient, HubRefused, HubUnavailable

    if not token:
        fail(f"--token (or ${HUB_TOKEN_ENV}) is required")
    try:
        with HubClient(hub_url, token) as client:
            published = client.publish_incident(incident_id)
    except (HubUnavailable, HubRefused) as exc:
        fail(exc)
    click.echo(
        json.dumps({"id": published["id"], "state": published["state"], "version": published["version"]})
    )
