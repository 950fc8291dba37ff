"""Declarations against pre-export notifications: the two rules, the importer name matching and the window."""

from __future__ import annotations

import pytest

from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.screening.notification_rules import KnownNotification, NotificationBook
from precwatch.core.screening.records import Declaration, Party
from precwatch.core.screening.screener import Screener
from precwatch.io.policy import load_policy


def _known(state: str = "cleared", *, importer: str = "Química Farmacéutica del Pacífico S.A. de C.V.",
           substance: str = "npp", dispatch_on: str = "2026-11-20", reason: str | None = None) -> KnownNotification:  # fmt: skip
    return KnownNotification(
        id=f"n-{state}", state=state, importer=importer, importing_country="MX", exporting_country="CN",
        substances=(substance,), dispatch_on=dispatch_on, state_reason=reason,
    )  # fmt: skip


def _declaration(consignee: str = "QUIMICA FARMACEUTICA DEL PACIFICO SA DE CV", *, when: str = "2026-12-05",
                 description: str = "N-PHENETHYL-4-PIPERIDONE 25KG", shipper_country: str = "CN") -> Declaration:  # fmt: skip
    return Declaration(
        id="d1", date=when, shipper=Party("Hubei Chemical Trading Co Ltd", "Wuhan", shipper_country),
        consignee=Party(consignee, "Manzanillo, Colima", "MX"), hs_code="2933.39", description=description,
        quantity=25, unit="kg", value_usd=9000,
    )  # fmt: skip


def _codes(kb: KnowledgeBase, book: NotificationBook | None, record: Declaration) -> dict[str, str]:
    verdict = Screener(kb, load_policy(), notifications=book).screen(record)
    return {r.code: r.detail for r in verdict.reasons}


def test_no_notification_at_all(kb: KnowledgeBase) -> None:
    codes = _codes(kb, NotificationBook(()), _declaration())
    assert "no-pre-export-notification" in codes
    assert "N-Phenethyl-4-piperidone to 'QUIMICA FARMACEUTICA" in codes["no-pre-export-notification"]


def test_without_the_hub_the_rules_are_silent(kb: KnowledgeBase) -> None:
    codes = _codes(kb, None, _declaration())
    assert "controlled-substance" in codes
    assert not {"no-pre-export-notification", "notification-objected"} & set(codes)


def test_a_cleared_notification_covers_a_name_variant(kb: KnowledgeBase) -> None:
    codes = _codes(kb, NotificationBook((_known(),)), _declaration())
    assert "no-pre-export-notification" not in codes
    assert "notification-objected" not in codes
    assert "controlled-substance" in codes


def test_objected_notification(kb: KnowledgeBase) -> None:
    book = NotificationBook((_known("objected", reason="importer has no licence"),))
    codes = _codes(kb, book, _declaration())
    assert "importer has no licence" in codes["notification-objected"]
    assert "no-pre-export-notification" not in codes


@pytest.mark.parametrize(
    ("known", "record"),
    [
        (_known(importer="Laboratorios Orizaba S.A."), _declaration()),  # another importer
        (_known(substance="1-boc-4-piperidone"), _declaration()),  # another substance
        (_known(dispatch_on="2026-06-01"), _declaration()),  # outside the window
        (_known("withdrawn"), _declaration()),  # withdrawn covers nothing
    ],
)
def test_what_does_not_cover(kb: KnowledgeBase, known: KnownNotification, record: Declaration) -> None:
    assert "no-pre-export-notification" in _codes(kb, NotificationBook((known,)), record)


def test_the_window_is_configurable(kb: KnowledgeBase) -> None:
    late = _known(dispatch_on="2026-06-01")
    assert "no-pre-export-notification" not in _codes(
        kb, NotificationBook((late,), window_days=200), _declaration()
    )


def test_domestic_and_harmless_shipments_need_no_notification(kb: KnowledgeBase) -> None:
    book = NotificationBook(())
    assert "no-pre-export-notification" not in _codes(kb, book, _declaration(shipper_country="MX"))
    assert "no-pre-export-notification" not in _codes(kb, book, _declaration(description="COTTON T-SHIRTS"))


def test_the_book_pickles_and_hashes() -> None:
    import pickle

    book = NotificationBook((_known(),), window_days=30, source="http://hub")
    assert pickle.loads(pickle.dumps(book)) == book
    assert hash(book) == hash(pickle.loads(pickle.dumps(book)))
