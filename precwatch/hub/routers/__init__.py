"""Thin API routers over the store: incidents, audit, me/orgs."""
