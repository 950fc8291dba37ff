"""Read a screening policy file (YAML), or the bundled default."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from precwatch.core.screening.policy import Policy, PolicyError, policy_from_mapping

BUNDLED_POLICY = "policy.yaml"


def policy_text(path: str | None = None) -> str:
    """The policy file's text: `path`, or the bundled `precwatch/data/policy.yaml`."""
    if path is None:
        return resources.files("precwatch.data").joinpath(BUNDLED_POLICY).read_text(encoding="utf-8")
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy: {exc.strerror}") from exc


@lru_cache(maxsize=8)
def load_policy(path: str | None = None) -> Policy:
    """The policy in `path` (YAML), or the bundled default.

    Raises:
        PolicyError: the file cannot be read or a key is wrong (the message names the file and key).
    """
    origin = path or f"bundled {BUNDLED_POLICY}"
    try:
        data = yaml.safe_load(policy_text(path))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{origin}: not valid YAML: {exc}") from exc
    try:
        return policy_from_mapping(data)
    except PolicyError as exc:
        raise PolicyError(f"{origin}: {exc}") from exc
