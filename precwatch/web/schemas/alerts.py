"""Bodies of the correlation, watch-rule and alert endpoints. Enumerations come from the core."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from precwatch.core.sharing.alerts import AlertKind, WatchKind


class CorrelationKey(BaseModel):
    kind: str = Field(description="Key kind: company, person, tel, email, telegram, ..., substance, route.")
    value: str = Field(description="The normalised value both records share.")
    explanation: str


class CorrelatedRecord(BaseModel):
    record_kind: str
    record: dict[str, Any] = Field(description="Summary of the other record: id, type, date, country, TLP.")
    keys: list[CorrelationKey]


class CorrelationsOut(BaseModel):
    record_kind: str
    record_id: str
    items: list[CorrelatedRecord]
    capped: list[CorrelationKey] = Field(description="Keys of this record held by too many records to link.")
    fan_out_cap: int


class WatchRuleIn(BaseModel):
    kind: WatchKind
    value: str = Field(min_length=1, max_length=300, description="Substance, country, party or words.")
    webhook_url: str | None = Field(None, max_length=2000, description="Optional: POST each alert here.")


class WatchRuleOut(BaseModel):
    id: int
    kind: WatchKind
    value: str
    key: str = Field(
        description="The normalised form matched on (KB id, ISO code, tel:/email:/name:, words)."
    )
    webhook_url: str | None
    created_at: str
    webhook_secret: str | None = Field(None, description="HMAC key of the webhook posts; shown only once.")


class AlertOut(BaseModel):
    id: int
    kind: AlertKind
    message: str
    record_kind: str
    record_id: str
    rule_id: int | None
    detail: dict[str, Any]
    created_at: str
    read: bool
    read_at: str | None


class AlertPage(BaseModel):
    items: list[AlertOut]
    total: int
    unread: int = Field(description="Your unread alerts (on records you may still see).")
    limit: int
    offset: int
