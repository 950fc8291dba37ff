"""Responses validated against their schema and serialised in the route's own worker thread.

FastAPI validates and serialises the value a route returns against its `response_model`; for a plain `def`
route it does so in a second trip through the thread pool, after a pass in Python over the whole value.
`Validated(Model).response(value)` does the same validation (`TypeAdapter.validate_python`, so a value
that does not fit the schema still fails: 500, nothing sent) and the same JSON serialisation in the thread
already running the route, and returns the finished `Response`, which FastAPI sends as it is. Routes keep
`response_model=Model`, so the OpenAPI document is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import TypeAdapter

T = TypeVar("T")

JSON = "application/json"


class Validated(Generic[T]):
    """Validate-and-serialise for one response schema."""

    def __init__(self, model: type[T]) -> None:
        self.adapter: TypeAdapter[T] = TypeAdapter(model)

    def response(
        self, value: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
    ) -> Response:
        """`value` checked against the schema, as a JSON response (raises `ValidationError` if it does not fit)."""
        body = self.adapter.dump_json(self.adapter.validate_python(value))
        return Response(body, status_code=status_code, headers=headers, media_type=JSON)
