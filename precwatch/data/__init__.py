"""Bundled, sourced knowledge, read with importlib.resources."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from precwatch.core.knowledge import KnowledgeBase, KnowledgeBaseError

BUNDLED = "substances.yaml"


def _yaml_loader() -> type[yaml.SafeLoader]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4)
def load_kb(path: str | None = None) -> KnowledgeBase:
    """The bundled knowledge base, or one read from a YAML file of the same shape.

    Raises:
        KnowledgeBaseError: the file is missing or malformed (the message names the file and entry).
    """
    if path is None:
        text = resources.files(__package__).joinpath(BUNDLED).read_text(encoding="utf-8")
        origin = f"bundled {BUNDLED}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise KnowledgeBaseError(f"{path}: cannot read knowledge base: {exc.strerror}") from exc
        origin = path
    try:
        data = yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{origin}: not valid YAML: {exc}") from exc
    return KnowledgeBase.from_data(data, origin)
