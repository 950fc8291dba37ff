"""Bundled, sourced knowledge, read with importlib.resources."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from precwatch.core.kb.knowledge import KnowledgeBase, KnowledgeBaseError

BUNDLED = "substances.yaml"
HISTORY = "history"
"""Earlier knowledge-base versions, one YAML file per version (`2026.11.1.yaml`), kept for `kb diff`."""


def read_source(path: str | None, bundled: str, *, what: str, error: type[Exception]) -> tuple[str, str]:
    """The text of the bundled file `bundled` (path None) or of `path`, with its origin for messages.

    Raises `error` naming the file when it cannot be read (`what` says what it should have held).
    """
    if path is None:
        return resources.files(__package__).joinpath(bundled).read_text(
            encoding="utf-8"
        ), f"bundled {bundled}"
    try:
        return Path(path).read_text(encoding="utf-8"), path
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror}") from exc


def _yaml_loader() -> type[yaml.SafeLoader]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4)
def load_kb(path: str | None = None) -> KnowledgeBase:
    """The bundled knowledge base, or one read from a YAML file of the same shape.

    Raises:
        KnowledgeBaseError: the file is missing or malformed (the message names the file and entry).
    """
    text, origin = read_source(path, BUNDLED, what="knowledge base", error=KnowledgeBaseError)
    try:
        data = yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{origin}: not valid YAML: {exc}") from exc
    return KnowledgeBase.from_data(data, origin)


def history_versions() -> list[str]:
    """Versions kept in the bundled history folder, oldest first."""
    folder = resources.files(__package__).joinpath(HISTORY)
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_kb_version(ref: str) -> KnowledgeBase:
    """A knowledge base by file path, by version (the bundled one or one kept in history), or 'current'.

    Raises:
        KnowledgeBaseError: no such file or version (the message lists the versions available).
    """
    if ref == "current":
        return load_kb()
    if Path(ref).suffix in (".yaml", ".yml") or Path(ref).exists():
        return load_kb(ref)
    if ref == load_kb().version:
        return load_kb()
    if ref in history_versions():
        return load_kb(str(resources.files(__package__).joinpath(HISTORY, f"{ref}.yaml")))
    known = ", ".join([*history_versions(), load_kb().version])
    raise KnowledgeBaseError(f"{ref}: neither a knowledge-base file nor a known version ({known})")
