"""Alembic migrations for the hub schema (run with `precwatch.store.db.upgrade`)."""
