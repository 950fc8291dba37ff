"""Incidents as a STIX 2.1 bundle (built and validated by the `stix2` library), for TIPs and OpenCTI.

Each incident becomes an `incident` SDO (name, description, first seen) carrying precwatch's facts as
custom properties (`x_precwatch_type`, `x_precwatch_substances` with KB id, name and CAS RN,
`x_precwatch_quantity`, `x_precwatch_route`, `x_precwatch_tlp`); each party an `identity` (organization or
individual, with its contacts) and each country a `location`, linked to the incident by `relationship`s
(`related-to` with the party's role in the description, `located-at`). Every object carries the TLP marking
of its incident. `stix2` ships TLP 1.0 markings: clear is exported as TLP:WHITE, amber+strict as TLP:AMBER
with `x_precwatch_tlp: "amber+strict"` (receivers must keep it inside the recipient organisation).

What goes in is what the caller may see: the hub selects visible incidents and redacts them first
(`precwatch.hub.exports`); redacted values (`[redacted]`) are left out, never exported as text.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import stix2

from precwatch.core.sharing.tlp import REDACTED
from precwatch.io.exports import distinct_substances

NAMESPACE = uuid.UUID("6f1f5e5a-8a43-4a8e-9e35-4f2b2f6c2f01")
"""Object ids are UUIDv5 in this namespace, so exporting the same incident twice gives the same ids."""

MARKINGS = {
    "clear": stix2.TLP_WHITE,
    "green": stix2.TLP_GREEN,
    "amber": stix2.TLP_AMBER,
    "amber+strict": stix2.TLP_AMBER,
    "red": stix2.TLP_RED,
}


def stix_id(kind: str, *parts: object) -> str:
    """The deterministic STIX id of a precwatch object (UUIDv5 of its parts in `NAMESPACE`)."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, '/'.join(str(p) for p in parts))}"


def _shown(values: Iterable[str] | None) -> list[str]:
    return [v for v in values or () if v and v != REDACTED]


def _contact(party: Mapping[str, Any]) -> str | None:
    lines = [f"phone: {p}" for p in _shown(party.get("phones"))]
    lines += [f"email: {e}" for e in _shown(party.get("emails"))]
    lines += [f"address: {a}" for a in _shown(party.get("addresses"))]
    return "\n".join(lines) or None


def incident_objects(incident: Mapping[str, Any]) -> list[Any]:
    """The STIX objects of one (already redacted) incident."""
    iid, tlp = incident["id"], incident["tlp"]
    marking = [MARKINGS[tlp]]
    common: dict[str, Any] = {"object_marking_refs": marking, "allow_custom": True, "x_precwatch_tlp": tlp}
    substances = [
        {"id": s["substance"], "name": s["name"], "cas": s["cas"]} for s in distinct_substances(incident)
    ]
    names = ", ".join(dict.fromkeys(s["name"] for s in substances)) or "unidentified chemicals"
    sdo = stix2.v21.Incident(
        id=stix_id("incident", iid),
        created=datetime.fromisoformat(incident["created_at"]),
        modified=datetime.fromisoformat(incident["updated_at"]),
        name=f"{incident['type']} in {incident['country']} on {incident['occurred_on']}: {names}",
        description=incident.get("narrative") or incident.get("substances_text") or None,
        x_precwatch_type=incident["type"],
        x_precwatch_occurred_on=incident["occurred_on"],
        x_precwatch_substances=substances,
        x_precwatch_quantity=(
            {"value": incident["quantity"], "unit": incident["unit"]}
            if incident.get("quantity") is not None
            else None
        ),
        x_precwatch_route=incident.get("route"),
        x_precwatch_retracted=bool(incident.get("retracted")),
        **common,
    )
    objects: list[Any] = [sdo]
    countries = {incident["country"]}
    route = incident.get("route") or {}
    for place in [route.get("origin"), *(route.get("transit") or ()), route.get("destination")]:
        if place and place.get("country"):
            countries.add(place["country"])
    for country in sorted(countries):
        location = stix2.v21.Location(id=stix_id("location", iid, country), country=country, **common)
        objects.append(location)
        objects.append(_link(sdo.id, location.id, "located-at", f"{iid}/{country}", common, None))
    for i, party in enumerate(incident.get("parties") or ()):
        identity = stix2.v21.Identity(
            id=stix_id("identity", iid, i),
            name=party["name"] if party["name"] != REDACTED else f"{party['role']} (name withheld)",
            identity_class="organization" if party["kind"] == "company" else "individual",
            roles=[party["role"]],
            contact_information=_contact(party),
            **common,
        )
        objects.append(identity)
        objects.append(_link(sdo.id, identity.id, "related-to", f"{iid}/party/{i}", common, party["role"]))
    return objects


def _link(source: str, target: str, kind: str, key: str, common: dict[str, Any], role: str | None) -> Any:
    return stix2.v21.Relationship(
        id=stix_id("relationship", key),
        relationship_type=kind,
        source_ref=source,
        target_ref=target,
        description=f"party role: {role}" if role else None,
        **common,
    )


def incidents_bundle(incidents: Iterable[Mapping[str, Any]]) -> stix2.v21.Bundle:
    """A STIX 2.1 bundle of the incidents (and the TLP marking definitions they use)."""
    objects: list[Any] = []
    used: dict[str, Any] = {}
    for incident in incidents:
        objects += incident_objects(incident)
        marking = MARKINGS[incident["tlp"]]
        used[marking.id] = marking
    return stix2.v21.Bundle(*used.values(), *objects, allow_custom=True)


def bundle_json(incidents: Iterable[Mapping[str, Any]]) -> str:
    """The bundle serialised (sorted keys, pretty-printed)."""
    return str(incidents_bundle(incidents).serialize(pretty=True))
