"""Incident bodies shared by the store, hub and web tests."""

from __future__ import annotations

from typing import Any


def seizure(**changes: Any) -> dict[str, Any]:
    """A complete seizure body (NPP shipped CN -> KR -> MX, a company and a person with nominal data), with
    `changes` applied."""
    body: dict[str, Any] = {
        "type": "seizure",
        "occurred_on": "2025-03-14",
        "reported_on": "2025-03-16",
        "country": "MX",
        "place": "Manzanillo port",
        "substances_text": "25 drums of N-phenethyl-4-piperidone (CAS 39742-60-4)",
        "quantity": 500,
        "unit": "kg",
        "concealment": "false bottom in drums",
        "declared_cover": "declared as 'industrial cleaning agent'",
        "route": {
            "origin": {"country": "CN", "port": "Shanghai"},
            "transit": [{"country": "KR", "port": "Busan"}],
            "destination": {"country": "MX", "port": "Manzanillo"},
        },
        "parties": [
            {
                "kind": "company",
                "role": "consignor",
                "name": "Hubei Brightchem Trading Co",
                "addresses": ["12 Jiefang Road, Wuhan"],
                "emails": ["sales@brightchem.example"],
            },
            {
                "kind": "person",
                "role": "consignee",
                "name": "Rogelio Tamayo",
                "phones": ["+52 55 5555 0101"],
                "emails": ["rtamayo@mail.example"],
                "addresses": ["Calle Ficticia 9, Guadalajara"],
            },
        ],
        "narrative": "Drums found during a routine x-ray; the consignee could not be located.",
        "tlp": "green",
    }
    body.update(changes)
    return body
