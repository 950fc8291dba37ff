"""Thin API routers over the hub's use cases: incidents, audit, me/orgs."""
