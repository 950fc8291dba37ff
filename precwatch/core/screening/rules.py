"""Risk rules: small functions over one record, each docstring the explanation shown to the officer.

A rule yields `Reason`s. Evidence rules can raise a record on their own; qualifier rules only add to a
record some evidence already raised (see `precwatch.core.screening.screener`). Weights come from the policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from precwatch.core.match import Match
from precwatch.core.screening.context import RiskContext, jurisdiction_of
from precwatch.core.screening.records import Declaration, Listing
from precwatch.core.screening.verdict import Reason

RuleFn = Callable[[RiskContext], Iterator[Reason]]


@dataclass(frozen=True, slots=True)
class RiskRule:
    """A registered rule: its function, the reason codes it gives, and whether it is a qualifier."""

    fn: RuleFn
    codes: tuple[str, ...]
    qualifier: bool = False
    notice: bool = False
    """A notice is shown whatever the evidence and weighs nothing (data quality)."""

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def explanation(self) -> str:
        return " ".join((self.fn.__doc__ or "").split())


def _strongest_by_substance(matches: list[Match]) -> list[Match]:
    order = {"listed": 0, "salt": 1, "masked": 2, "class": 3, "analog": 4}
    best: dict[str, Match] = {}
    for m in matches:
        cur = best.get(m.substance)
        if cur is None or (order[m.relation], -m.confidence) < (order[cur.relation], -cur.confidence):
            best[m.substance] = m
    return sorted(best.values(), key=lambda m: (order[m.relation], -m.confidence))


def _describe(m: Match) -> str:
    cas = f" (CAS {m.cas})" if m.cas else ""
    what = {"listed": "names", "salt": "names a salt of", "masked": "names a masked form of",
            "class": "names a member of the class", "analog": "names an analogue of"}[m.relation]  # fmt: skip
    shown = f" as '{m.text}'" if m.text and m.text.lower() != m.name.lower() else ""
    un = m.controls.get("UN", "unknown")
    law = f", UN {un}" if un not in ("unknown", "not controlled") else ""
    return f"{what} {m.name}{cas}{shown}{law} [{m.method}, confidence {m.confidence:.2f}]"


def controlled_substance(ctx: RiskContext) -> Iterator[Reason]:
    """The text names a controlled chemical or drug from the knowledge base (by name, CAS number,
    misspelling, salt, masked form, class or analogue). The strongest relation sets the weight;
    each further distinct substance adds a little."""
    for i, m in enumerate(_strongest_by_substance(ctx.matches)):
        if i == 0:
            weight = ctx.policy.relation_weights[m.relation]
            if m.confidence < 0.8:
                weight = round(weight * m.confidence / 0.8)
            yield Reason("controlled-substance", weight, f"text {_describe(m)}")
        else:
            yield Reason("additional-substance", ctx.policy.weight("additional-substance"),
                         f"text also {_describe(m)}")  # fmt: skip


def destination_law(ctx: RiskContext) -> Iterator[Reason]:
    """Weighs the substance identified by the law where the goods are going: more when the
    destination controls it, less when neither the destination nor the UN does."""
    if not ctx.matches or not isinstance(ctx.record, Declaration):
        return
    m = _strongest_by_substance(ctx.matches)[0]
    country = ctx.record.consignee.country
    jur = jurisdiction_of(country)
    statuses = [(jur, m.controls.get(jur, "unknown"))] if jur else []
    statuses.append(("UN", m.controls.get("UN", "unknown")))
    for where, status in statuses:
        if ctx.is_controlled(status):
            yield Reason("destination-controls", ctx.policy.weight("destination-controls"),
                         f"{m.name} is controlled in {where} ({status}), destination {country or 'not given'}")  # fmt: skip
            return
    if jur and all(status == "not controlled" for _, status in statuses):
        yield Reason("destination-does-not-control", ctx.policy.weight("destination-does-not-control"),
                     f"{m.name} is not controlled in {jur} nor by the UN: a review signal only")  # fmt: skip


CHEMICAL_CHAPTERS = ("28", "29", "38")
"""HS chapters of chemicals: inorganic (28), organic (29), miscellaneous chemical products (38)."""


def _chemical_goods(ctx: RiskContext, hs: str) -> bool:
    """The goods are chemicals: a chemical HS chapter, or a chemical identified in the text."""
    return hs[:2] in CHEMICAL_CHAPTERS or bool(ctx.matches)


def _hs_digits(code: str | None) -> str:
    """A normalised HS code ("2933.39") as bare digits."""
    return code.replace(".", "") if code else ""


def _is_vague(ctx: RiskContext) -> bool:
    """True when nothing is left of the description once stop-word phrases and filler are removed."""
    parts, at = [], 0
    for h in sorted(ctx.phrases_of("vague"), key=lambda h: h.start):
        if h.start >= at:
            parts.append(ctx.folded[at : h.start])
            at = h.end
        else:
            at = max(at, h.end)
    parts.append(ctx.folded[at:])
    text = " ".join(parts)
    for word in "".join(ch if ch.isalnum() else " " for ch in text).split():
        if (
            len(word) > 2
            and not word.isdigit()
            and word not in ctx.policy.generic_words
            and not word[:-2].isdigit()
        ):
            return False
    return True


def vague_hs_of_concern(ctx: RiskContext) -> Iterator[Reason]:
    """The HS code is one under which controlled precursors travel (2933.36, 2933.37, 2933.39,
    2914.31, 2932.92, ...) but the description says nothing specific: only stop-words such as
    "pharmaceutical intermediate", "organic chemical", "raw material" or "sample"."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or not rec.hs_code or ctx.matches:
        return
    hs = _hs_digits(rec.hs_code)
    concern = next((hs[:n] for n in (6, 4, 8, 10, 2) if hs[:n] in ctx.hs_concern), None)
    if concern is None or not _is_vague(ctx):
        return
    words = ", ".join(f"'{h.phrase}'" for h in ctx.phrases_of("vague")) or "no goods name"
    yield Reason("vague-hs-of-concern", ctx.policy.weight("vague-hs-of-concern"),
                 f"HS {rec.hs_code} is a precursor heading but the description is vague ({words})")  # fmt: skip


def specific_hs_subheading(ctx: RiskContext) -> Iterator[Reason]:
    """The HS code is a subheading the Harmonized System created for one precursor alone (2933.37 is
    NPP, 2933.36 ANPP, 2914.31 BMK, 2932.92 PMK, 2916.34 phenylacetic acid...), but the description
    does not name that precursor: other goods under a precursor's own code are a cover or a mistake
    worth a document check."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or not rec.hs_code:
        return
    hs = _hs_digits(rec.hs_code)[:6]
    substance_id = ctx.policy.specific_subheadings.get(hs)
    if substance_id is None or any(m.substance == substance_id for m in ctx.matches):
        return
    s = ctx.kb.by_id.get(substance_id)
    name = s.preferred_name if s else substance_id
    shown = rec.description.strip()[:60] or "nothing"
    yield Reason("specific-hs-subheading", ctx.policy.weight("specific-hs-subheading"),
                 f"HS {_dotted(hs)} is the subheading of {name} alone, but the description is '{shown}'")  # fmt: skip


def vague_description(ctx: RiskContext) -> Iterator[Reason]:
    """The description uses a stop-word that customs treat as unacceptable on its own (EU ICS2 list)
    or a precursor euphemism ("pharmaceutical intermediate", "raw material", "sample")."""
    if not isinstance(ctx.record, Declaration):
        return
    found = sorted({h.phrase for h in ctx.phrases_of("vague")}, key=lambda p: (-len(p), p))
    if found:
        yield Reason("vague-description", ctx.policy.weight("vague-description"),
                     f"'{found[0]}' is a stop-word description")  # fmt: skip


def hs_mismatch(ctx: RiskContext) -> Iterator[Reason]:
    """The declared HS code contradicts the goods: a chemical chapter for goods of another chapter
    (cotton T-shirts under 2933.39), another heading for the chemical named (calcium chloride under
    2933.39), or the HS code of a cover load for a controlled chemical that is identified."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or not rec.hs_code:
        return
    hs = _hs_digits(rec.hs_code)
    for m in _strongest_by_substance(ctx.matches):
        s = ctx.substance(m)
        kb_hs = _hs_digits(s.hs_code if s else None)
        if m.relation in ("listed", "salt") and len(kb_hs) >= 4 and not hs.startswith(kb_hs[:4]):
            yield Reason("hs-mismatch", ctx.policy.weight("hs-mismatch"),
                         f"declared HS {rec.hs_code} but {m.name} is classified {s.hs_code if s else '?'}")  # fmt: skip
            return
    goods = [(code, h.phrase) for h in ctx.phrases if h.list_name.startswith("goods:")
             for code in (h.list_name[6:],)]  # fmt: skip
    if not goods or any(hs.startswith(code) for code, _ in goods):
        return
    chemical = hs[:2] in CHEMICAL_CHAPTERS
    code, phrase = max(goods, key=lambda g: len(g[0]))
    if chemical or code[:2] in CHEMICAL_CHAPTERS:
        yield Reason("hs-mismatch", ctx.policy.weight("hs-mismatch"),
                     f"declared HS {rec.hs_code} (chapter {hs[:2]}) for '{phrase}' (HS {_dotted(code)})")  # fmt: skip


def _dotted(code: str) -> str:
    return code if len(code) <= 4 else f"{code[:4]}.{code[4:]}"


_KG = {"kg": 1.0, "kgs": 1.0, "kilogram": 1.0, "kilograms": 1.0, "g": 0.001, "gram": 0.001, "grams": 0.001,
       "t": 1000.0, "mt": 1000.0, "ton": 1000.0, "tons": 1000.0, "tonne": 1000.0, "tonnes": 1000.0,
       "lb": 0.4536, "lbs": 0.4536}  # fmt: skip


def kilograms(rec: Declaration) -> float | None:
    """The declared quantity in kg, when the unit is a mass unit."""
    if rec.quantity is None or not rec.unit:
        return None
    factor = _KG.get(rec.unit.strip().lower())
    return None if factor is None else rec.quantity * factor


def unit_value(ctx: RiskContext) -> Iterator[Reason]:
    """The value per kg is far outside the usual range for the goods declared (the policy's table
    of cover-load goods): calcium chloride at 60 USD/kg, or a chemical declared at a token value."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or rec.value_usd is None:
        return
    kg = kilograms(rec)
    if not kg:
        return
    per_kg = rec.value_usd / kg
    codes = [_hs_digits(rec.hs_code)] + [
        h.list_name[6:] for h in ctx.phrases if h.list_name.startswith("goods:")
    ]
    ranges = ctx.policy.unit_value_ranges
    f = ctx.policy.unit_value_factor
    for code in codes:
        key = next((k for k in sorted(ranges, key=len, reverse=True) if code.startswith(k)), None)
        if key is None:
            continue
        low, high = ranges[key]
        if per_kg > high * f or per_kg < low / f:
            yield Reason("unit-value", ctx.policy.weight("unit-value"),
                         f"{per_kg:,.2f} USD/kg for HS {_dotted(key)} goods (usual {low:g}-{high:g} USD/kg)")  # fmt: skip
        return


def route(ctx: RiskContext) -> Iterator[Reason]:
    """The shipment runs from a precursor source country (China, Hong Kong, India) to a port or
    country of concern (Manzanillo, Lázaro Cárdenas; Mexico, the US, Canada)."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or rec.shipper.country not in ctx.policy.source_countries:
        return
    port = (rec.port_of_discharge or "").upper()
    if port in ctx.policy.ports_of_concern:
        yield Reason(
            "route", ctx.policy.weight("route"), f"{rec.shipper.country} to the port of concern {port}"
        )
    elif rec.consignee.country in ctx.policy.destination_countries:
        yield Reason("route", ctx.policy.weight("route"),
                     f"{rec.shipper.country} to {rec.consignee.country}, a destination of concern")  # fmt: skip


def small_parcel_chemical(ctx: RiskContext) -> Iterator[Reason]:
    """A chemical (HS chapter 28, 29 or 38, or a chemical named) sent by express or post in a small
    quantity: how precursors reach buyers without a freight declaration."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or (rec.transport_mode or "") not in ctx.policy.small_parcel_modes:
        return
    chemical = _chemical_goods(ctx, _hs_digits(rec.hs_code))
    kg = kilograms(rec)
    if chemical and kg is not None and kg <= ctx.policy.small_parcel_max_kg:
        yield Reason("small-parcel-chemical", ctx.policy.weight("small-parcel-chemical"),
                     f"{kg:g} kg of a chemical by {rec.transport_mode}")  # fmt: skip


def surveillance_goods(ctx: RiskContext) -> Iterator[Reason]:
    """The goods are on a surveillance list though not controlled: fentanyl-route reagents (aniline,
    sodium borohydride, triethylamine, palladium on carbon, 2-phenylethanol) or pill-press equipment
    (tablet presses, punches and dies: DEA Special Surveillance List)."""
    found = sorted({h.phrase for h in ctx.phrases_of("surveillance")})
    if found:
        yield Reason("surveillance-goods", ctx.policy.weight("surveillance-goods"),
                     "surveillance-list goods: " + ", ".join(f"'{p}'" for p in found))  # fmt: skip


def implausible_consignee(ctx: RiskContext) -> Iterator[Reason]:
    """Chemicals (HS chapters 28, 29, 38 or a chemical named) or pill-press equipment go to a
    consignee that does not use them: a private person, a home address, or a business of another
    trade (a grocery, a car-repair shop, a restaurant)."""
    rec = ctx.record
    if not isinstance(rec, Declaration) or not rec.consignee.name.strip():
        return
    chemical = _chemical_goods(ctx, _hs_digits(rec.hs_code))
    if not (chemical or ctx.phrases_of("surveillance")):
        return
    why = ctx.consignee_profile()
    if why:
        yield Reason("implausible-consignee", ctx.policy.weight("implausible-consignee"),
                     f"{'chemicals' if chemical else 'surveillance-list goods'} to '{rec.consignee.name}': {why}")  # fmt: skip


def seller_phrase(ctx: RiskContext) -> Iterator[Reason]:
    """Evasion or illicit-market wording: "safe delivery to Mexico", "we change the name to pass
    customs", "100% customs clearance", "stealth package", "双清包税"."""
    found = sorted({h.phrase for h in ctx.phrases_of("seller")})
    if found:
        yield Reason("seller-phrase", ctx.policy.weight("seller-phrase"),
                     "evasion wording: " + ", ".join(f"'{p}'" for p in found))  # fmt: skip


def encrypted_contact(ctx: RiskContext) -> Iterator[Reason]:
    """The seller asks to be reached on an encrypted or ephemeral messenger (Wickr, Telegram,
    Threema, Signal...), as precursor vendors in the seed reporting did."""
    found = sorted({h.phrase for h in ctx.phrases_of("messenger")})
    if found:
        yield Reason("encrypted-contact", ctx.policy.weight("encrypted-contact"),
                     "contact by " + ", ".join(found))  # fmt: skip


def crypto_payment(ctx: RiskContext) -> Iterator[Reason]:
    """The listing asks for payment in cryptocurrency (BTC, USDT...)."""
    found = sorted({h.phrase for h in ctx.phrases_of("crypto")})
    if found:
        yield Reason("crypto-payment", ctx.policy.weight("crypto-payment"), "payment in " + ", ".join(found))


def watchlist_party(ctx: RiskContext) -> Iterator[Reason]:
    """A shipper, consignee or seller matches a watchlist entry (OFAC SDN, OpenSanctions, an
    agency's own list) under its name or a variant: legal form, spelling, word order, pinyin."""
    if ctx.watchlist is None:
        return
    rec = ctx.record
    parties: list[tuple[str, str, str | None]]
    if isinstance(rec, Declaration):
        parties = [("shipper", rec.shipper.name, rec.shipper.country),
                   ("consignee", rec.consignee.name, rec.consignee.country)]  # fmt: skip
    else:
        parties = [("seller", rec.seller, None)]
    for role, name, country in parties:
        if not name.strip():
            continue
        key = (name, country)
        hits = ctx.watch_cache.get(key)
        if hits is None:
            hits = ctx.watchlist.match(name, country)
            if len(ctx.watch_cache) > 50_000:
                ctx.watch_cache.clear()
            ctx.watch_cache[key] = hits
        if not hits:
            continue
        hit = hits[0]
        programs = hit.entry.program.lower()
        drug = any(p in programs for p in ctx.policy.drug_programs)
        base = ctx.policy.watchlist_weights["drug-program" if drug else "other-program"]
        yield Reason("watchlist-party", round(base * hit.score),
                     f"{role} '{name}' matches {hit.entry.source or 'watchlist'} entry '{hit.entry.name}' "
                     f"({hit.entry.program or 'no program'}; {hit.explanation})")  # fmt: skip


def data_quality(ctx: RiskContext) -> Iterator[Reason]:
    """A side field could not be read (a country "Mexico City", a quantity "12 kg", an HS code "29.3"):
    the record is screened all the same, the value is kept as written, and the rules that need that
    field leave it out. Weight 0: it says what to check in the declaration, not that it is risky."""
    for issue in ctx.record.issues:
        yield Reason(
            "data-quality", 0, f"{issue.field} {issue.value!r}: {issue.reason}; not used by the rules"
        )


DECLARATION_RULES: tuple[RiskRule, ...] = (
    RiskRule(controlled_substance, ("controlled-substance", "additional-substance")),
    RiskRule(watchlist_party, ("watchlist-party",)),
    RiskRule(vague_hs_of_concern, ("vague-hs-of-concern",)),
    RiskRule(specific_hs_subheading, ("specific-hs-subheading",)),
    RiskRule(hs_mismatch, ("hs-mismatch",)),
    RiskRule(unit_value, ("unit-value",)),
    RiskRule(seller_phrase, ("seller-phrase",)),
    RiskRule(implausible_consignee, ("implausible-consignee",)),
    RiskRule(destination_law, ("destination-controls", "destination-does-not-control"), qualifier=True),
    RiskRule(vague_description, ("vague-description",), qualifier=True),
    RiskRule(route, ("route",), qualifier=True),
    RiskRule(small_parcel_chemical, ("small-parcel-chemical",), qualifier=True),
    RiskRule(surveillance_goods, ("surveillance-goods",), qualifier=True),
    RiskRule(data_quality, ("data-quality",), notice=True),
)
"""Declaration rules, evidence first. Each docstring is the explanation shown to the officer."""

LISTING_RULES: tuple[RiskRule, ...] = (
    RiskRule(controlled_substance, ("controlled-substance", "additional-substance")),
    RiskRule(watchlist_party, ("watchlist-party",)),
    RiskRule(seller_phrase, ("seller-phrase",)),
    RiskRule(encrypted_contact, ("encrypted-contact",), qualifier=True),
    RiskRule(crypto_payment, ("crypto-payment",), qualifier=True),
    RiskRule(data_quality, ("data-quality",), notice=True),
)
"""Listing rules, evidence first."""


def rules_for(record: Declaration | Listing) -> tuple[RiskRule, ...]:
    return DECLARATION_RULES if isinstance(record, Declaration) else LISTING_RULES
