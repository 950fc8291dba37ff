"""Store tests run on SQLite and on PostgreSQL: fixtures `db_url`, `engine` and `hub` from tests/support/backends.py."""

from __future__ import annotations

from tests.support.backends import db_url, engine, hub

__all__ = ["db_url", "engine", "hub"]
