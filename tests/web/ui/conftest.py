"""Page tests reuse the web fixtures (`api` on SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.web.conftest import api, db_url, hub, settings

__all__ = ["api", "db_url", "hub", "settings"]
