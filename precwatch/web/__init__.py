"""The only FastAPI code: the hub's REST API over `precwatch.hub.Hub` (see `precwatch.web.app.create_app`).

Importing this package loads no settings and opens no database: build `precwatch.settings.Settings` at the
edge and call `create_app(settings)`.
"""
