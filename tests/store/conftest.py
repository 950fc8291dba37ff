"""Store tests run on SQLite and on PostgreSQL: fixtures `db_url` and `store` from tests/backends.py."""

from __future__ import annotations

from tests.backends import db_url, store

__all__ = ["db_url", "store"]
