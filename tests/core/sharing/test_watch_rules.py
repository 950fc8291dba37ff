"""Watch rules: the exact keys a record offers cover every substance, country, phone and e-mail rule it matches,
so the hub may load only the rules with those keys (plus name and text rules) and miss no alert."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from precwatch.core.sharing.alerts import WatchRule, exact_keys, matches, normalise_rule
from precwatch.core.sharing.tlp import REDACTED
from precwatch.data import load_kb
from tests.support.samples import seizure

KB = load_kb()

PHONES = ["+86 155 0000 1234", "15500001234", "0086-155-0000-1234", "(55) 1234 5678", "+52 55 1234 5678"]
EMAILS = ["Sales@BrightChem.example", "sales@brightchem.example ", "ops@xylo.example"]
COUNTRIES = ["CN", "China", "KR", "Mexico", "MEX", "US", "India"]
SUBSTANCES = ["NPP", "39742-60-4", "4-piperidone", "xylazine", "ANPP"]


def record(phones: list[str], emails: list[str], substances: list[str], redacted: bool) -> dict[str, Any]:
    body = seizure()
    body["id"] = "inc-1"
    body["substances"] = [{"substance": KB.lookup(s).id} for s in substances]  # type: ignore[union-attr]
    body["parties"][0]["phones"] = [REDACTED] if redacted else phones
    body["parties"][0]["emails"] = [REDACTED] if redacted else emails
    return body


@settings(max_examples=150, deadline=None)
@given(
    phones=st.lists(st.sampled_from(PHONES), max_size=3),
    emails=st.lists(st.sampled_from(EMAILS), max_size=2),
    substances=st.lists(st.sampled_from(SUBSTANCES), max_size=3),
    redacted=st.booleans(),
    kind=st.sampled_from(["substance", "country", "party"]),
    value=st.sampled_from(PHONES + EMAILS + COUNTRIES + SUBSTANCES),
)
def test_a_matching_exact_rule_has_one_of_the_records_keys(
    phones: list[str], emails: list[str], substances: list[str], redacted: bool, kind: str, value: str
) -> None:
    try:
        key = normalise_rule(kind, value, kb=KB)
    except ValueError:
        return
    if kind == "party" and key.startswith("name:"):
        return  # name rules are always loaded
    rule = WatchRule(1, 1, kind, value, key)  # type: ignore[arg-type]
    seen = record(phones, emails, substances, redacted)
    if matches(rule, seen):
        assert key in exact_keys(record(phones, emails, substances, False))[kind]


def test_exact_keys_of_a_seizure() -> None:
    keys = exact_keys(record(["+86 155 0000 1234"], ["Sales@BrightChem.example"], ["NPP"], False))
    assert keys["substance"] == {KB.lookup("NPP").id}  # type: ignore[union-attr]
    assert keys["country"] == {"CN", "KR", "MX"}
    assert {"tel:+8615500001234", "email:sales@brightchem.example"} <= keys["party"]
    assert exact_keys(record([], [], [], True))["party"] == {
        "tel:+525555550101",
        "email:rtamayo@mail.example",
    }
