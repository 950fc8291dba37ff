"""Read a screening policy file (YAML), or the bundled default, checking every key.

The file's shape is checked with pydantic (`extra="forbid"`): an unknown key (`levels.critical`, a top-level
typo) is an error naming it and the nearest valid key, never silently ignored; then
`precwatch.core.screening.policy.policy_from_mapping` checks the values. An edited policy is identified by
its own SHA-256 (`policy_hash`) beside the version string it kept from the bundled file.
"""

from __future__ import annotations

import difflib
import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from precwatch.core.screening.notification_rules import MISSING_WEIGHT, NOTIFICATION_RULES, OBJECTED_WEIGHT
from precwatch.core.screening.policy import (
    RELATIONS,
    SCALAR_WEIGHTS,
    Policy,
    PolicyError,
    policy_from_mapping,
)
from precwatch.core.screening.rules import DECLARATION_RULES, LISTING_RULES

BUNDLED_POLICY = "policy.yaml"
_STRICT = ConfigDict(extra="forbid", populate_by_name=True)


class _Levels(BaseModel):
    model_config = _STRICT
    high: Any
    medium: Any
    low: Any


class _Parcel(BaseModel):
    model_config = _STRICT
    modes: Any
    max_kg: Any


class _UnitValues(BaseModel):
    model_config = _STRICT
    factor: Any
    ranges: Any


_Relations = type(
    "_Relations", (BaseModel,), {"model_config": _STRICT, "__annotations__": dict.fromkeys(RELATIONS, Any)}
)
_Watch = type(
    "_Watch",
    (BaseModel,),
    {"model_config": _STRICT, "__annotations__": {"drug_program": Any, "other_program": Any},
     "drug_program": Field(alias="drug-program"), "other_program": Field(alias="other-program")},
)  # fmt: skip
_weights_fields: dict[str, Any] = {"controlled_substance": Field(alias="controlled-substance"),
                                   "watchlist_party": Field(alias="watchlist-party")}  # fmt: skip
_weights_ann: dict[str, Any] = {"controlled_substance": _Relations, "watchlist_party": _Watch}
for _code in SCALAR_WEIGHTS:
    _weights_ann[_code.replace("-", "_")] = Any
    _weights_fields[_code.replace("-", "_")] = Field(alias=_code)
_Weights = type(
    "_Weights", (BaseModel,), {"model_config": _STRICT, "__annotations__": _weights_ann, **_weights_fields}
)


class _PolicyFile(BaseModel):
    """The keys a policy file may have (values are checked by the core)."""

    model_config = _STRICT
    version: Any
    levels: _Levels
    weights: _Weights  # type: ignore[valid-type]
    confidence_floor: Any
    controlled_statuses_exclude: Any
    drug_programs: Any
    hs_of_concern: Any
    specific_subheadings: Any
    generic_words: Any
    surveillance_goods: Any
    unrelated_business_words: Any
    residential_address_words: Any
    vague_descriptions: Any
    seller_phrases: Any
    encrypted_messengers: Any
    crypto_words: Any
    source_countries: Any
    destination_countries: Any
    ports_of_concern: Any
    small_parcel: _Parcel
    unit_values: _UnitValues
    goods_chapters: Any


def _valid_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(path: tuple[int | str, ...]) -> type[BaseModel]:
    model: type[BaseModel] = _PolicyFile
    for part in path:
        found = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        if found is None or not (
            isinstance(found.annotation, type) and issubclass(found.annotation, BaseModel)
        ):
            break
        model = found.annotation
    return model


def check_shape(data: Any) -> None:
    """PolicyError naming the first unknown or missing key (with the nearest valid one)."""
    if not isinstance(data, dict):
        raise PolicyError("policy: expected a mapping at the top level")
    try:
        _PolicyFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        where = tuple(error["loc"])
        key = ".".join(str(p) for p in where)
        if error["type"] == "extra_forbidden":
            valid = _valid_keys(_model_at(where[:-1]))
            near = difflib.get_close_matches(str(where[-1]), valid, n=1, cutoff=0.5)
            hint = f"; did you mean '{'.'.join([*map(str, where[:-1]), near[0]])}'?" if near else ""
            raise PolicyError(f"policy: unknown key '{key}'{hint} (valid here: {', '.join(valid)})") from None
        if error["type"] == "missing":
            raise PolicyError(f"policy: missing key '{key}'") from None
        raise PolicyError(f"policy: '{key}': {error['msg']}") from None


def policy_text(path: str | None = None) -> str:
    """The policy file's text: `path`, or the bundled `precwatch/data/policy.yaml`."""
    if path is None:
        return resources.files("precwatch.data").joinpath(BUNDLED_POLICY).read_text(encoding="utf-8")
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy: {exc.strerror}") from exc


def policy_hash(path: str | None = None) -> str:
    """The SHA-256 of the policy file in force (an edited policy is told apart by it, whatever its version)."""
    return hashlib.sha256(policy_text(path).encode("utf-8")).hexdigest()


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
        check_shape(data)
        return policy_from_mapping(data)
    except PolicyError as exc:
        raise PolicyError(f"{origin}: {exc}") from exc


def rule_table(policy: Policy) -> list[dict[str, Any]]:
    """Every risk rule of both kinds: name, codes with their weights in force, kind, explanation."""
    rules: dict[str, dict[str, Any]] = {}
    for kind, registry in (("declarations", DECLARATION_RULES), ("listings", LISTING_RULES)):
        for rule in registry:
            if rule.name in rules:
                rules[rule.name]["applies_to"].append(kind)
                continue
            weights: dict[str, Any] = {}
            for code in rule.codes:
                if code == "controlled-substance":
                    weights[code] = dict(policy.relation_weights)
                elif code == "watchlist-party":
                    weights[code] = dict(policy.watchlist_weights)
                else:
                    weights[code] = policy.weights.get(code, 0)
            label = "notice" if rule.notice else "qualifier" if rule.qualifier else "evidence"
            rules[rule.name] = {"rule": rule.name, "codes": list(rule.codes), "weights": weights, "kind": label,
                                "applies_to": [kind], "explanation": rule.explanation}  # fmt: skip
    for rule in NOTIFICATION_RULES:  # declarations screened with --hub only
        weight = OBJECTED_WEIGHT if rule.codes[0] == "notification-objected" else MISSING_WEIGHT
        rules[rule.name] = {"rule": rule.name, "codes": list(rule.codes), "weights": {rule.codes[0]: weight},
                            "kind": "evidence", "applies_to": ["declarations (with --hub)"],
                            "explanation": rule.explanation}  # fmt: skip
    return list(rules.values())
