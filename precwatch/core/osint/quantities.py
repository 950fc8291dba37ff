"""Quantities of goods in an article: kilograms, tonnes, pounds, litres, gallons, barrels, drums, sacks.

A quantity is a number (digits with thousands separators or a decimal part, optionally "million"/"mil"/
"millones"/"万"/"千") followed by a unit word in English, Spanish or Chinese. Units are reported as
written in canonical form (`1.5 tonnes`, `300 sacks`); masses also carry their weight in kilograms so
that "1.5 tonnes" and "1,500 kilograms" compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS: dict[str, tuple[str, float | None]] = {
    **dict.fromkeys(["kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes", "kilogramo",
                     "kilogramos", "公斤", "千克"], ("kg", 1.0)),
    **dict.fromkeys(["g", "grams", "gramos", "克"], ("g", 0.001)),
    **dict.fromkeys(["tonne", "tonnes", "ton", "tons", "metric tons", "metric tonnes", "tonelada", "toneladas", "吨"],
                    ("tonnes", 1000.0)),
    **dict.fromkeys(["pound", "pounds", "lb", "lbs", "libra", "libras", "磅"], ("pounds", 0.45359237)),
    **dict.fromkeys(["litre", "litres", "liter", "liters", "litro", "litros", "升"], ("litres", None)),
    **dict.fromkeys(["gallon", "gallons", "galón", "galones"], ("gallons", None)),
    **dict.fromkeys(["barrel", "barrels", "barril", "barriles", "桶"], ("barrels", None)),
    **dict.fromkeys(["drum", "drums", "tambo", "tambos", "bidón", "bidones"], ("drums", None)),
    **dict.fromkeys(["sack", "sacks", "bag", "bags", "saco", "sacos", "costal", "costales", "bulto", "bultos", "袋"],
                    ("sacks", None)),
}  # fmt: skip
"""Unit words to (canonical unit, kilograms per unit or None when not a mass)."""

_MULT = {"million": 1e6, "millones": 1e6, "millón": 1e6, "mil": 1e3, "thousand": 1e3, "万": 1e4, "千": 1e3}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\d.,A-Za-z])(?P<num>\d{{1,3}}(?:[,.\s]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*"
    rf"(?P<mult>million|millones|millón|mil|thousand|万|千)?\s*(?:de\s+)?(?P<unit>{_UNIT_RE})(?![a-zA-Z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """An amount and its unit as the article states it; `kg` is the mass in kilograms when the unit is
    one of mass."""

    value: float
    unit: str
    kg: float | None
    text: str

    def __str__(self) -> str:
        return f"{self.value:,.10g} {self.unit}".replace(",", "")


def parse_number(raw: str, *, decimal_comma: bool = False) -> float:
    """A written number: "1,500" -> 1500, "1.5" -> 1.5, "1 500" -> 1500, and with `decimal_comma`
    (Spanish) "1,5" -> 1.5 and "1.500" -> 1500. Groups of exactly three digits after a separator are
    thousands unless the separator is the decimal one and only one group follows; except that in Spanish
    text a lone comma before exactly three digits ("1,500 kilogramos") is a thousands separator: Mexican
    outlets, the main Spanish-language source on precursors, group thousands with commas, and a decimal
    written to three places is rare in news."""
    raw = raw.replace(" ", "").replace("\u00a0", "")
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    if decimal_comma and "." not in raw and raw.count(",") == 1 and len(raw.partition(",")[2]) == 3:
        thousands, decimal = ",", "."
    if decimal in raw:
        whole, _, frac = raw.rpartition(decimal)
        return float(whole.replace(thousands, "") + "." + frac)
    parts = raw.split(thousands)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    return float(raw.replace(thousands, "."))


def find_quantities(text: str, *, language: str = "en") -> list[Quantity]:
    """Every quantity in `text`, in text order. Spanish text reads "1,5" as one and a half."""
    out = []
    for m in _QUANTITY.finditer(text):
        unit, per_kg = UNITS[m.group("unit").lower()]
        try:
            value = parse_number(m.group("num"), decimal_comma=language in ("es", "fr", "de", "pt"))
        except ValueError:
            continue
        if m.group("mult"):
            value *= _MULT[m.group("mult").lower()]
        out.append(Quantity(value, unit, value * per_kg if per_kg is not None else None, m.group(0)))
    return out
