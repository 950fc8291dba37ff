"""Settings: built at the edge, never at import; the secret is required and the error says how to set it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from precwatch.settings import SettingsError, load_settings, settings_env
from precwatch.web.app import create_app_from_env


def test_the_secret_is_required_and_the_error_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRECWATCH_HUB_SECRET", raising=False)
    with pytest.raises(SettingsError, match="PRECWATCH_HUB_SECRET is not set"):
        load_settings()
    with pytest.raises(SettingsError, match="PRECWATCH_HUB_SECRET must be at least 16 characters"):
        load_settings(secret="too-short")
    with pytest.raises(SettingsError, match="PRECWATCH_HUB_PORT"):
        load_settings(secret="s" * 16, port=70_000)


def test_values_come_from_arguments_then_environment_then_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECWATCH_HUB_SECRET", "from-the-environment")
    monkeypatch.setenv("PRECWATCH_HUB_PORT", "9000")
    settings = load_settings(port=None, host="0.0.0.0")
    assert settings.hub.secret.get_secret_value() == "from-the-environment"
    assert (settings.web.port, settings.web.host, settings.hub.database_url) == (
        9000,
        "0.0.0.0",
        "sqlite:///precwatch-hub.db",
    )
    assert "from-the-environment" not in repr(settings)


def test_worker_processes_rebuild_the_same_settings_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings(
        secret="w" * 20, database_url="sqlite:////tmp/never-opened.db", workers=2, threads=3
    )
    for key, value in settings_env(settings).items():
        monkeypatch.setenv(key, value)
    assert load_settings() == settings
    app = create_app_from_env()
    assert app.state.settings == settings


def test_importing_the_hub_reads_no_environment() -> None:
    code = (
        "import os; os.environ.pop('PRECWATCH_HUB_SECRET', None);"
        "import precwatch.hub, precwatch.web.app, precwatch.settings, precwatch.cli.hub; print('ok')"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        == "ok\n"
    )


def test_sections_keep_the_variable_names_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PRECWATCH_HUB_SECRET", "PRECWATCH_HUB_PORT", "PRECWATCH_HUB_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PRECWATCH_HUB_THREADS", "8")
    monkeypatch.setenv("PRECWATCH_HUB_DB_POOL_SIZE", "4")
    settings = load_settings(secret="d" * 16)
    assert settings.hub.model_dump(exclude={"secret"}) == {
        "database_url": "sqlite:///precwatch-hub.db",
        "token_ttl_days": 90,
        "db_pool_size": 4,
        "durable_read_audit": True,
        "token_cache_seconds": 0.0,
        "notification_response_days": 15,
        "webhook_allowed_networks": "",
    }
    assert settings.web.model_dump() == {
        "host": "127.0.0.1",
        "port": 8000,
        "max_page_size": 200,
        "max_body_bytes": 1_048_576,
        "public_url": None,
        "workers": 1,
        "threads": 8,
    }
    unset = {"public_url"}  # None: left out of the environment, so a worker reads it as unset too
    assert sorted(settings_env(settings)) == sorted(
        f"PRECWATCH_HUB_{f.upper()}"
        for f in [*settings.hub.model_dump(), *settings.web.model_dump()]
        if f not in unset
    )
    public = load_settings(secret="d" * 16, public_url="https://hub.example.org")
    assert settings_env(public)["PRECWATCH_HUB_PUBLIC_URL"] == "https://hub.example.org"


def test_webhook_networks_are_checked_and_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRECWATCH_HUB_WEBHOOK_ALLOWED_NETWORKS", "10.20.0.0/16, fd00::/8")
    assert load_settings(secret="d" * 16).hub.webhook_networks == ("10.20.0.0/16", "fd00::/8")
    monkeypatch.setenv("PRECWATCH_HUB_WEBHOOK_ALLOWED_NETWORKS", "10.20.0.0/16,intranet")
    with pytest.raises(SettingsError, match="PRECWATCH_HUB_WEBHOOK_ALLOWED_NETWORKS"):
        load_settings(secret="d" * 16)
