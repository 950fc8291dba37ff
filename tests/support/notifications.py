"""A sample pre-export notification body: a Chinese exporter notifies NPP for a Mexican importer."""

from __future__ import annotations

from typing import Any


def notification(**changes: Any) -> dict[str, Any]:
    """A valid notification body (CN exporter, MX importer, 25 kg of NPP by sea), with `changes` applied."""
    body: dict[str, Any] = {
        "reference": "CN-2026-0042",
        "exporter": {"name": "Hubei Chemical Trading Co., Ltd.", "country": "CN", "address": "Wuhan"},
        "importer": {"name": "Química Farmacéutica del Pacífico S.A. de C.V.", "country": "MX"},
        "consignee": {"name": "Laboratorios Orizaba S.A.", "country": "MX"},
        "substances": [{"substance": "39742-60-4", "quantity": 25, "unit": "kg"}],
        "point_of_entry": {"port": "MXZLO"},
        "dispatch_on": "2026-12-10",
        "transport": "sea",
        "tlp": "amber",
    }
    body.update(changes)
    return body
