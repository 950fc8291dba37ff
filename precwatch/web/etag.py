"""ETags and preconditions (RFC 9110 §13.1.1): an incident's ETag is its version; a change names the version.

`GET` answers `ETag: "<version>"`. `PUT` and `PATCH` need `If-Match`: without it the answer is 428
Precondition Required. `If-Match: *` matches any current version (the record must exist). A version that
no record can have (`"abc"`, `"0"`, a weak tag, a list) never matches: 412 Precondition Failed, as when the
stored version moved on, with the current version in the body (the client re-reads, merges and retries;
nothing is overwritten blindly). A missing or invisible record still answers 404 first.
"""

from __future__ import annotations

import re

from fastapi import HTTPException

_TAG = re.compile(r'^\s*"?(\d{1,9})"?\s*$')

ANY = None
"""`If-Match: *`: any current version."""
NEVER = 0
"""The version an unmatchable `If-Match` names: no record is ever at version 0, so the hub answers 412."""


def etag(version: int) -> str:
    """The ETag header value of a record at `version`."""
    return f'"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version an `If-Match` header names (`"3"` or `3`), `ANY` for `*`, `NEVER` for a tag that cannot
    match a version (a weak tag `W/"3"` never matches under the strong comparison RFC 9110 requires).

    Raises:
        HTTPException: 428 when the header is absent.
    """
    if if_match is None:
        raise HTTPException(428, 'If-Match is required: send the ETag (version) you read, e.g. If-Match: "3"')
    if if_match.strip() == "*":
        return ANY
    match = _TAG.match(if_match)
    return int(match.group(1)) if match else NEVER
