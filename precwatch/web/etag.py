"""ETags and preconditions: an incident's ETag is its version; a change must name the version it read.

`GET` answers `ETag: "<version>"`. `PUT`, `PATCH` and `retract` need `If-Match: "<version>"`: without it
the answer is 428 Precondition Required, and when the stored version moved on, 412 Precondition Failed with
the current version in the body (the client re-reads, merges and retries; nothing is overwritten blindly).
"""

from __future__ import annotations

import re

from fastapi import HTTPException

_TAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def etag(version: int) -> str:
    """The ETag header value of a record at `version`."""
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version an `If-Match` header names (`"3"`, `W/"3"` or `3`).

    Raises:
        HTTPException: 428 when the header is absent, `*`, a list or not a version.
    """
    if if_match is None:
        raise HTTPException(428, 'If-Match is required: send the ETag (version) you read, e.g. If-Match: "3"')
    match = _TAG.match(if_match)
    if match is None:
        raise HTTPException(
            428, f'If-Match must name one version as returned in ETag (e.g. "3"), got {if_match!r}'
        )
    return int(match.group(1))
