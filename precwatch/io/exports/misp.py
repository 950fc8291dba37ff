"""Incidents as MISP events (pymisp objects), with the TLP as tags and as MISP distribution levels.

One event per incident: `info` says what happened where, `date` is the occurrence date, the TLP becomes the
`tlp:...` tag (MISP's taxonomy, TLP 2.0 names) and a distribution level:

| precwatch TLP | MISP distribution |
|---|---|
| clear | 3 all communities |
| green | 2 connected communities |
| amber, amber+strict, red | 0 your organisation only |

Amber records are shared with named organisations, which MISP models as a sharing group that only the
receiving instance knows: they are exported at the safe level 0 for the recipient to widen. Substances are
`text` attributes in the category "Other" (KB id, name and CAS RN in the value; the CAS RN also as a
comment-searchable value), the quantity a `text` attribute; each company party a `legal-entity` object and
each person a `person` object, with phones and e-mails. Redacted values are left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from pymisp import MISPEvent, MISPObject

from precwatch.core.sharing.tlp import REDACTED
from precwatch.io.exports import distinct_substances

NAMESPACE = uuid.UUID("0c5f7d4e-2d4b-4f7e-9a3c-1f8a9e3b7c21")
DISTRIBUTION = {"clear": 3, "green": 2, "amber": 0, "amber+strict": 0, "red": 0}
"""precwatch TLP → MISP distribution (0 organisation only, 1 this community, 2 connected, 3 all)."""
THREAT_LEVEL_UNDEFINED = 4


def _shown(values: Iterable[str] | None) -> list[str]:
    return [v for v in values or () if v and v != REDACTED]


def _party_object(party: Mapping[str, Any]) -> MISPObject:
    if party["kind"] == "company":
        obj = MISPObject("legal-entity")
        obj.add_attribute("name", party["name"])
        for phone in _shown(party.get("phones")):
            obj.add_attribute("phone-number", phone)
        extra = [f"email: {e}" for e in _shown(party.get("emails"))]
        extra += [f"address: {a}" for a in _shown(party.get("addresses"))]
        obj.add_attribute("text", "\n".join([f"role: {party['role']}", *extra]))
        return obj
    obj = MISPObject("person")
    if party["name"] != REDACTED:
        obj.add_attribute("full-name", party["name"])
    obj.add_attribute("role", party["role"])
    for phone in _shown(party.get("phones")):
        obj.add_attribute("phone-number", phone)
    for email in _shown(party.get("emails")):
        obj.add_attribute("e-mail", email)
    for address in _shown(party.get("addresses")):
        obj.add_attribute("address", address)
    return obj


def incident_event(incident: Mapping[str, Any]) -> MISPEvent:
    """The MISP event of one (already redacted) incident."""
    event = MISPEvent()
    event.uuid = str(uuid.uuid5(NAMESPACE, incident["id"]))
    names = (
        ", ".join(dict.fromkeys(s["name"] for s in incident.get("substances") or ()))
        or "unidentified chemicals"
    )
    event.info = f"precwatch {incident['type']} in {incident['country']}: {names}"
    event.set_date(incident["occurred_on"])
    event.distribution = DISTRIBUTION[incident["tlp"]]
    event.threat_level_id = THREAT_LEVEL_UNDEFINED
    event.analysis = 2  # completed: a reported incident
    event.add_tag(f"tlp:{incident['tlp']}")
    event.add_tag(f'precwatch:incident-type="{incident["type"]}"')
    for s in distinct_substances(incident):
        cas = f" (CAS {s['cas']})" if s.get("cas") else ""
        event.add_attribute(
            "text", f"{s['name']}{cas}", category="Other", comment=f"precwatch KB id {s['substance']}"
        )
    if incident.get("quantity") is not None:
        event.add_attribute(
            "text", f"{incident['quantity']:g} {incident['unit']}", category="Other", comment="quantity"
        )
    if incident.get("narrative"):
        event.add_attribute("text", incident["narrative"], category="Other", comment="narrative")
    for party in incident.get("parties") or ():
        event.add_object(_party_object(party))
    return event


def events_json(incidents: Iterable[Mapping[str, Any]]) -> str:
    """The events as MISP's JSON import format: `{"response": [{"Event": ...}, ...]}`."""
    import json

    events = [json.loads(incident_event(i).to_json()) for i in incidents]
    return json.dumps({"response": [{"Event": e} for e in events]}, indent=2, ensure_ascii=False)
