"""`precwatch hub notification ...` and `precwatch hub export`: notifications and exports against the hub's database, as a user.

Like the other `hub` admin commands these open the database directly (no server needed); every command acts
as the user given with `--user` (their organisation, role and visibility apply exactly as over the API) and
every change is written to the notification's history and to the audit chain. Output is JSON (one object;
`list` writes JSON Lines).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from precwatch.cli.hub import _hub, _hub_options, _settings

if TYPE_CHECKING:
    from precwatch.core.sharing.tlp import Viewer
    from precwatch.hub import Hub

ACTIONS = ("acknowledge", "clear", "object", "withdraw")
STATES = ("submitted", "acknowledged", "cleared", "objected", "withdrawn")

_user_option = click.option(
    "--user",
    "email",
    required=True,
    metavar="EMAIL",
    help="Act as this hub user (their organisation and role).",
)


def viewer_of(hub: Hub, email: str) -> Viewer:
    """The hub user with this e-mail as a `Viewer` (a ClickException when unknown)."""
    from precwatch.core.sharing.tlp import Viewer

    user = hub.get_user_by_email(email)
    return Viewer(user_id=user.id, org_id=user.org_id, role=user.role, email=user.email)


def _echo(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _load_body(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise click.ClickException(f"{path}: line 1: a notification must be a JSON object")
    return data


@click.group("notification")
def notification() -> None:
    """Pre-export notifications: create, list, show, respond (acknowledge, clear, object, withdraw)."""


@notification.command("create")
@_hub_options
@_user_option
@click.argument("body", type=click.Path(exists=True, dir_okay=False))
def notification_create(database_url: str | None, secret: str | None, email: str, body: str) -> None:
    """Send the pre-export notification in BODY (a JSON file) from the user's organisation; prints it."""
    from precwatch.core.sharing.incidents import IncidentError

    data = _load_body(body)
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        hub.notification_response_days = settings.hub.notification_response_days
        try:
            created = hub.create_notification(viewer_of(hub, email), data)
        except IncidentError as exc:
            raise click.ClickException(f"{body}: field {exc.field}: {exc.message}") from exc
    _echo(created)


@notification.command("list")
@_hub_options
@_user_option
@click.option("--state", type=click.Choice(STATES), help="Only this state.")
@click.option("--overdue/--not-overdue", default=None, help="Only overdue ones, or only the others.")
@click.option("--country", metavar="XX", help="Exporting or importing country (ISO alpha-2).")
@click.option("--substance", metavar="ID|CAS|NAME", help="Only notifications of this substance.")
@click.option("--limit", type=click.IntRange(1, 500), default=500, show_default=True)
def notification_list(
    database_url: str | None,
    secret: str | None,
    email: str,
    state: str | None,
    overdue: bool | None,
    country: str | None,
    substance: str | None,
    limit: int,
) -> None:
    """The notifications the user may see, earliest deadline first, as JSON Lines; the count on stderr."""
    from precwatch.hub import NotificationFilter

    settings = _settings(database_url=database_url, secret=secret)
    filters = NotificationFilter(state=state, overdue=overdue, country=country, substance=substance)
    with _hub(settings) as hub:
        items, total = hub.list_notifications(viewer_of(hub, email), filters, limit=limit)
    for item in items:
        _echo(item)
    click.echo(f"{len(items)} of {total} notification(s)", err=True)


@notification.command("show")
@_hub_options
@_user_option
@click.argument("notification_id")
@click.option("--history", is_flag=True, help="Add the state history (`history`).")
def notification_show(
    database_url: str | None, secret: str | None, email: str, notification_id: str, history: bool
) -> None:
    """One notification as the user may see it (exit 1 when missing or not visible to them)."""
    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        viewer = viewer_of(hub, email)
        found = hub.get_notification(viewer, notification_id)
        if found is None:
            raise click.ClickException(f"no notification {notification_id}")
        if history:
            found["history"] = hub.notification_history(viewer, notification_id)
    _echo(found)


@notification.command("respond")
@_hub_options
@_user_option
@click.argument("notification_id")
@click.option("--action", type=click.Choice(ACTIONS), required=True, help="What to do.")
@click.option("--reason", default=None, help="Why (required to object and to withdraw).")
@click.option("--version", "expected", type=int, default=None, help="Fail unless still at this version.")
def notification_respond(
    database_url: str | None,
    secret: str | None,
    email: str,
    notification_id: str,
    action: str,
    reason: str | None,
    expected: int | None,
) -> None:
    """Acknowledge, clear or object (the importing country), or withdraw (the exporter); prints the result."""
    from precwatch.core.sharing.incidents import IncidentError
    from precwatch.core.sharing.notifications import IllegalTransition

    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        try:
            moved = hub.act_on_notification(
                viewer_of(hub, email),
                notification_id,
                action=action,
                reason=reason,
                expected_version=expected,
            )
        except (IllegalTransition, IncidentError) as exc:
            raise click.ClickException(str(exc)) from exc
    _echo(moved)


@click.command("export")
@_hub_options
@click.option(
    "--format", "fmt", type=click.Choice(["stix", "misp", "ftm"]), required=True, help="Output format."
)
@click.option("--user", "email", metavar="EMAIL", help="Export as this hub user.")
@click.option("--token", metavar="TOKEN", envvar="PRECWATCH_HUB_TOKEN", help="Export as this token's user.")
@click.option("--incident", "incident_id", metavar="ID", help="Only this incident.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
def export(
    database_url: str | None,
    secret: str | None,
    fmt: str,
    email: str | None,
    token: str | None,
    incident_id: str | None,
    out: str | None,
) -> None:
    """Export the incidents the user may see (redacted for them) as STIX 2.1, MISP events or FtM entities."""
    if (email is None) == (token is None):
        raise click.UsageError("give exactly one of --user and --token")
    from precwatch.io.exports.ftm import incident_parties_jsonl
    from precwatch.io.exports.misp import events_json
    from precwatch.io.exports.stix import bundle_json

    settings = _settings(database_url=database_url, secret=secret)
    with _hub(settings) as hub:
        if token is not None:
            found_viewer = hub.authenticate(token, settings.hub.secret.get_secret_value())
            if found_viewer is None:
                raise click.ClickException("the token is unknown, expired or revoked")
            viewer = found_viewer
        else:
            viewer = viewer_of(hub, str(email))
        found = hub.export_incidents(viewer, incident_id=incident_id, export_format=fmt)
    if found is None:
        raise click.ClickException(f"no incident {incident_id}")
    render = {"stix": bundle_json, "misp": events_json, "ftm": incident_parties_jsonl}[fmt]
    text = render(found)
    if out:
        Path(out).write_text(text if text.endswith("\n") or not text else text + "\n", encoding="utf-8")
        click.echo(f"{len(found)} incident(s) exported as {fmt} to {out}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
