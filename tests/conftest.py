from __future__ import annotations

from collections.abc import Iterator

import pytest

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.data import load_kb
from precwatch.io.opsin import Opsin, java_available


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="session")
def opsin() -> Iterator[Opsin]:
    """One OPSIN JVM for the whole run (CI has Java; without it these tests are skipped, saying why)."""
    if not java_available():
        pytest.skip("Java is not installed: OPSIN cannot run")
    with Opsin() as o:
        yield o
