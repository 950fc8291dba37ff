"""precwatch's one settings object, built at the edge (CLI or test) and passed down (`create_app(settings)`).

`Settings` has one section per part that needs configuring: `hub` (its database, token secret, audit) and
`web` (where and how `precwatch serve` listens). Values come from keyword arguments first, then from
`PRECWATCH_HUB_*` environment variables, then from the defaults below. Nothing here runs at import time: the
environment is read only when `load_settings` is called. The secret has no default: a hub without one
refuses to start. Only `precwatch.cli` and `precwatch.web` import this module.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "PRECWATCH_HUB_"
SECRET_ENV = f"{ENV_PREFIX}SECRET"
MIN_SECRET_LENGTH = 16


class SettingsError(ValueError):
    """The settings are missing or invalid; the message names the environment variable to set."""


class HubSettings(BaseSettings):
    """The hub section: where its database is, the token secret, token lifetime and read-audit durability."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    database_url: str = Field(
        "sqlite:///precwatch-hub.db",
        description="SQLAlchemy URL: a SQLite file by default, or postgresql+psycopg://user@host/db.",
    )
    secret: SecretStr = Field(
        description=f"Key of the HMAC that protects stored token hashes ({SECRET_ENV}); at least "
        f"{MIN_SECRET_LENGTH} characters, no default. Changing it invalidates every token.",
        min_length=MIN_SECRET_LENGTH,
    )
    token_ttl_days: int = Field(
        90, ge=1, le=3650, description="Default lifetime of a new API token, in days."
    )
    db_pool_size: int = Field(
        16,
        ge=1,
        le=500,
        description="PostgreSQL connections kept open (match `threads`; SQLite opens per use).",
    )
    durable_read_audit: bool = Field(
        True,
        description="PostgreSQL: false commits the audit entries of reads without waiting for the disk flush "
        "(faster audited reads; a database crash may lose the last read entries, never a write).",
    )
    token_cache_seconds: float = Field(
        0.0,
        ge=0,
        le=300,
        description="Seconds a token the database confirmed is trusted without a query; a revocation made "
        "by another process (the CLI, another worker) takes effect within this time. 0: check every request.",
    )
    notification_response_days: int = Field(
        15,
        ge=1,
        le=180,
        description="Days an importing country has to answer a pre-export notification before it is overdue "
        "(a notification may set its own `response_days`).",
    )
    webhook_allowed_networks: str = Field(
        "",
        description="Comma-separated CIDR networks (e.g. 10.20.0.0/16) that webhooks may reach although they are "
        "not public; empty: webhooks go only to public addresses (never localhost, private or link-local ones).",
    )

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError as exc:
                raise ValueError(f"{part!r} is not an IP network") from exc
        return value

    @property
    def webhook_networks(self) -> tuple[str, ...]:
        """`webhook_allowed_networks` as a tuple of CIDR strings."""
        return tuple(filter(None, (p.strip() for p in self.webhook_allowed_networks.split(","))))


class WebSettings(BaseSettings):
    """The web section: the address, processes, threads and page size of `precwatch serve`."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    host: str = Field("127.0.0.1", description="Address `precwatch serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `precwatch serve` listens on.")
    max_page_size: int = Field(200, ge=1, le=500, description="Largest `limit` a list request may ask for.")
    max_body_bytes: int = Field(
        1_048_576,
        ge=1024,
        le=1_073_741_824,
        description="Largest request body the API accepts, in bytes (413 above; checked before it is read).",
    )
    public_url: str | None = Field(
        None,
        description="The hub's public base URL (e.g. https://hub.example.org), used in `next` and `Location` "
        "links; unset: links are relative paths. Never taken from the client's Host header.",
    )
    workers: int = Field(1, ge=1, le=64, description="Server processes `precwatch serve` starts.")
    threads: int = Field(
        16, ge=1, le=256, description="Worker threads for database calls (the server's concurrency limit)."
    )


class Settings(BaseModel):
    """Everything precwatch's service needs to run, by section."""

    model_config = ConfigDict(frozen=True)

    hub: HubSettings
    web: WebSettings


SECTIONS: dict[str, type[BaseSettings]] = {"hub": HubSettings, "web": WebSettings}


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from `overrides` (flat field names, e.g. `secret=`, `port=`; None values ignored)
    and the environment.

    Raises:
        SettingsError: a value is missing or invalid, with the environment variable that sets it.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - {f for cls in SECTIONS.values() for f in cls.model_fields}
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    sections: dict[str, BaseSettings] = {}
    problems: list[str] = []
    for name, cls in SECTIONS.items():
        try:
            sections[name] = cls(**{k: v for k, v in given.items() if k in cls.model_fields})
        except ValidationError as exc:
            problems += _explain(exc)
    if problems:
        raise SettingsError("; ".join(problems))
    return Settings.model_validate(sections)


def _explain(exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        env = f"{ENV_PREFIX}{field.upper()}"
        if error["type"] == "missing":
            problems.append(f"{env} is not set ({field} is required and has no default)")
        elif error["type"] == "too_short":
            problems.append(f"{env} must be at least {error['ctx']['min_length']} characters long")
        else:
            problems.append(f"{env}: {error['msg']}")
    return problems


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as `PRECWATCH_HUB_*` environment variables (for worker processes started by uvicorn)."""
    values = {**settings.hub.model_dump(), **settings.web.model_dump()}
    values["secret"] = settings.hub.secret.get_secret_value()
    return {f"{ENV_PREFIX}{k.upper()}": str(v) for k, v in values.items() if v is not None}
