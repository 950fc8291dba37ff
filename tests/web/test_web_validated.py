"""`Validated`: what routes send is checked against the response schema, exactly as FastAPI would."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from precwatch.web.schemas import MeOut
from precwatch.web.validated import Validated

ME = {
    "user_id": 3,
    "email": "a@b.example",
    "role": "viewer",
    "org": {"id": 1, "name": "MX agency", "country": "MX"},
}


def test_a_value_that_fits_is_sent_as_json_with_status_and_headers() -> None:
    response = Validated(MeOut).response(ME, 201, {"ETag": '"4"'})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"] == '"4"'
    assert json.loads(response.body) == ME


def test_extra_keys_are_dropped_like_response_model_filtering() -> None:
    response = Validated(MeOut).response({**ME, "token_hash": "secret", "org": {**ME["org"], "x": 1}})
    assert json.loads(response.body) == ME


def test_a_value_that_does_not_fit_the_schema_is_refused() -> None:
    with pytest.raises(ValidationError):
        Validated(MeOut).response({**ME, "role": "superuser"})
    with pytest.raises(ValidationError):
        Validated(MeOut).response({k: v for k, v in ME.items() if k != "email"})
