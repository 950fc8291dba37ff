"""The screening policy: weights, level thresholds and word lists, validated from a plain mapping.

The bundled default is `precwatch/data/policy.yaml`; users copy and edit it. `policy_from_mapping` checks
every key and names the one that is wrong, so a typo in an edited policy never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class PolicyError(ValueError):
    """The policy is malformed (the message names the key)."""


RELATIONS = ("listed", "salt", "masked", "class", "analog")
SCALAR_WEIGHTS = (
    "additional-substance", "vague-hs-of-concern", "hs-mismatch", "seller-phrase", "unit-value",
    "destination-controls", "destination-does-not-control", "route", "small-parcel-chemical",
    "vague-description", "encrypted-contact", "crypto-payment", "specific-hs-subheading",
    "implausible-consignee", "surveillance-goods",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything a risk rule may weigh. Build it with `policy_from_mapping`."""

    version: str
    levels: tuple[tuple[str, int], ...]
    relation_weights: Mapping[str, int]
    watchlist_weights: Mapping[str, int]
    weights: Mapping[str, int]
    confidence_floor: float
    not_controlled: frozenset[str]
    drug_programs: tuple[str, ...]
    hs_of_concern: tuple[str, ...]
    vague_descriptions: tuple[str, ...]
    seller_phrases: tuple[str, ...]
    encrypted_messengers: tuple[str, ...]
    crypto_words: tuple[str, ...]
    source_countries: frozenset[str]
    destination_countries: frozenset[str]
    ports_of_concern: frozenset[str]
    small_parcel_modes: frozenset[str]
    small_parcel_max_kg: float
    unit_value_factor: float
    unit_value_ranges: Mapping[str, tuple[float, float]]
    goods_chapters: Mapping[str, tuple[str, ...]]
    specific_subheadings: Mapping[str, str]
    generic_words: frozenset[str]
    surveillance_goods: tuple[str, ...]
    unrelated_business_words: tuple[str, ...]
    residential_address_words: tuple[str, ...]

    def level(self, score: int) -> str:
        """`high`, `medium`, `low` or `none` for a score, by the policy's thresholds."""
        for name, threshold in self.levels:
            if score >= threshold:
                return name
        return "none"

    def weight(self, code: str) -> int:
        return self.weights[code]


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    if key not in data:
        raise PolicyError(f"policy: missing key '{where}{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise PolicyError(f"policy: '{where}{key}' must be {_kind_name(kind)}, got {value!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({"int": "an integer", "float": "a number", "str": "text", "list": "a list",
                        "dict": "a mapping"}.get(k.__name__, k.__name__) for k in kinds)  # fmt: skip


def _strings(data: Mapping[str, Any], key: str, lower: bool = True, where: str = "") -> tuple[str, ...]:
    items = _get(data, key, list, where)
    out: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            hint = (
                ' (quote words YAML reads as true/false, such as "no" or "off")'
                if isinstance(item, bool)
                else ""
            )
            raise PolicyError(f"policy: '{where}{key}[{i}]' must be non-empty text, got {item!r}{hint}")
        out.append(item.strip().lower() if lower else item.strip())
    return tuple(out)


def _ints(data: Mapping[str, Any], keys: tuple[str, ...], where: str) -> dict[str, int]:
    return {k: int(_get(data, k, int, where)) for k in keys}


def policy_from_mapping(data: Mapping[str, Any]) -> Policy:
    """Validate a policy mapping (as read from YAML) into a `Policy`.

    Raises:
        PolicyError: a key is missing or has the wrong type; the message names it.
    """
    if not isinstance(data, Mapping):
        raise PolicyError("policy: expected a mapping at the top level")
    levels = _ints(_get(data, "levels", dict), ("high", "medium", "low"), "levels.")
    if not levels["high"] > levels["medium"] > levels["low"] > 0:
        raise PolicyError("policy: 'levels' must satisfy high > medium > low > 0")
    weights = _get(data, "weights", dict)
    relation = _ints(_get(weights, "controlled-substance", dict, "weights."), RELATIONS,
                     "weights.controlled-substance.")  # fmt: skip
    watch = _ints(_get(weights, "watchlist-party", dict, "weights."), ("drug-program", "other-program"),
                  "weights.watchlist-party.")  # fmt: skip
    scalar = _ints(weights, SCALAR_WEIGHTS, "weights.")
    floor = float(_get(data, "confidence_floor", (int, float)))
    parcel = _get(data, "small_parcel", dict)
    units = _get(data, "unit_values", dict)
    ranges: dict[str, tuple[float, float]] = {}
    for code, pair in _get(units, "ranges", dict, "unit_values.").items():
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, int | float) for x in pair)):
            raise PolicyError(f"policy: 'unit_values.ranges.{code}' must be [low, high], got {pair!r}")
        if not 0 < pair[0] < pair[1]:
            raise PolicyError(f"policy: 'unit_values.ranges.{code}' must have 0 < low < high")
        ranges[_digits(str(code))] = (float(pair[0]), float(pair[1]))
    chapters: dict[str, tuple[str, ...]] = {}
    goods = _get(data, "goods_chapters", dict)
    for code in goods:
        chapters[_digits(str(code))] = _strings(goods, code, where="goods_chapters.")
    specific: dict[str, str] = {}
    for code, substance in _get(data, "specific_subheadings", dict).items():
        if not isinstance(substance, str) or not substance.strip():
            raise PolicyError(
                f"policy: 'specific_subheadings.{code}' must name a knowledge-base substance id"
            )
        specific[_digits(str(code))] = substance.strip()
    return Policy(
        version=str(_get(data, "version", (str, int, float))),
        levels=tuple(sorted(levels.items(), key=lambda kv: -kv[1])),
        relation_weights=relation,
        watchlist_weights=watch,
        weights=scalar,
        confidence_floor=floor,
        not_controlled=frozenset(_strings(data, "controlled_statuses_exclude")),
        drug_programs=_strings(data, "drug_programs"),
        hs_of_concern=tuple(_digits(c) for c in _strings(data, "hs_of_concern")),
        vague_descriptions=_strings(data, "vague_descriptions"),
        seller_phrases=_strings(data, "seller_phrases"),
        encrypted_messengers=_strings(data, "encrypted_messengers"),
        crypto_words=_strings(data, "crypto_words"),
        source_countries=frozenset(c.upper() for c in _strings(data, "source_countries")),
        destination_countries=frozenset(c.upper() for c in _strings(data, "destination_countries")),
        ports_of_concern=frozenset(c.upper() for c in _strings(data, "ports_of_concern")),
        small_parcel_modes=frozenset(_strings(parcel, "modes", where="small_parcel.")),
        small_parcel_max_kg=float(_get(parcel, "max_kg", (int, float), "small_parcel.")),
        unit_value_factor=float(_get(units, "factor", (int, float), "unit_values.")),
        unit_value_ranges=ranges,
        goods_chapters=chapters,
        specific_subheadings=specific,
        generic_words=frozenset(_strings(data, "generic_words")),
        surveillance_goods=_strings(data, "surveillance_goods"),
        unrelated_business_words=_strings(data, "unrelated_business_words"),
        residential_address_words=_strings(data, "residential_address_words"),
    )


def _digits(code: str) -> str:
    """An HS code or heading as bare digits ("2933.39" -> "293339")."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) < 2:
        raise PolicyError(f"policy: {code!r} is not an HS code, heading or chapter")
    return digits
