from __future__ import annotations

import pytest

from precwatch.core.knowledge import KnowledgeBase
from precwatch.data import load_kb


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()
