"""CLI tests that need a database get `db_url` (SQLite and PostgreSQL) from tests/support/backends.py."""

from __future__ import annotations

from tests.support.backends import db_url

__all__ = ["db_url"]
