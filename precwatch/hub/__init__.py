"""The sharing hub: a FastAPI service over the `precwatch.store` port (see `create_app`).

Importing this package loads no settings and opens no database: build `HubSettings` at the edge and call
`precwatch.hub.app.create_app(settings)`.
"""
