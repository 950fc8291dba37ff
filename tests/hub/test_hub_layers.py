"""The hub's layers: the store and the use cases load no web framework, settings or bundled data."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import get_args

from precwatch.core.sharing.incidents import PARTY_KINDS, PARTY_ROLES, UNITS
from precwatch.web.schemas.incidents import PartyKind, PartyRole, Unit


def test_store_and_hub_load_no_framework_settings_or_data() -> None:
    code = "import sys, json, precwatch.hub, precwatch.store; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    frameworks = ("fastapi", "starlette", "pydantic", "pydantic_settings", "uvicorn", "click")
    assert [m for m in loaded if m.split(".")[0] in frameworks] == []
    assert [
        m for m in loaded if m.startswith(("precwatch.data", "precwatch.web", "precwatch.settings"))
    ] == []


def test_store_loads_nothing_above_it() -> None:
    code = "import sys, json, precwatch.store; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    assert [m for m in loaded if m.startswith(("precwatch.hub", "precwatch.pipelines", "precwatch.io"))] == []


def test_api_enumerations_are_the_cores() -> None:
    assert get_args(PartyKind) == PARTY_KINDS
    assert get_args(PartyRole) == PARTY_ROLES
    assert get_args(Unit) == UNITS
