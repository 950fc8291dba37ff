"""precwatch: find and stop fentanyl-precursor trafficking.

The curated public API::

    import precwatch
    kb = precwatch.load_kb()
    for m in precwatch.identify_text("CAS 79O99-07-3, 99% purity"):
        print(m.substance, m.relation, m.confidence, m.evidence)
"""

from __future__ import annotations

from precwatch.core.identify import identify_text as _identify_text
from precwatch.core.knowledge import KnowledgeBase, KnowledgeBaseError
from precwatch.core.types import Control, Match, Names, Substance

__version__ = "0.1.0"
__all__ = [
    "Control",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Match",
    "Names",
    "Substance",
    "__version__",
    "identify_text",
    "load_kb",
]


def load_kb(path: str | None = None) -> KnowledgeBase:
    """The bundled knowledge base (or one read from a YAML file of the same shape); cached."""
    from precwatch.data import load_kb as _load

    return _load(path)


def identify_text(text: str, kb: KnowledgeBase | None = None) -> list[Match]:
    """Every mention of a controlled substance in `text` (see `precwatch.core.identify.identify_text`).

    Uses the bundled knowledge base unless `kb` is given.
    """
    return _identify_text(text, kb if kb is not None else load_kb())
