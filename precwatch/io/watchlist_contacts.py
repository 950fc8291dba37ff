"""The contacts that watchlist files give for their entries (for matching vendors by contact).

- OFAC `sdn.csv`: the Remarks column ("Phone Number ...; Email Address ...; Website ...; Digital Currency
  Address - XBT ..."), read by `precwatch.core.market.watch.contacts_in_remarks`;
- FollowTheMoney JSON lines: the `phone`, `email`, `website` and `cryptoWallet`-style properties;
- the simple CSV: optional `phone`, `email`, `website` columns (several values separated by `;` or `|`).

Entry ids are those `precwatch.io.watchlists` gives, so contacts attach to the loaded entries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from precwatch.core.market.watch import contacts_in_remarks
from precwatch.core.parties.contacts import Contact, contacts_from_field
from precwatch.io.watchlists import SDN_COLUMNS, _csv_records, detect_watchlist_format

FTM_CONTACT_PROPS = {"phone": "phone", "email": "email", "website": "url", "publicKey": "btc"}


def read_watchlist_contacts(paths: Sequence[str]) -> dict[str, list[Contact]]:
    """Entry id -> the contacts that entry lists, over every file."""
    out: dict[str, list[Contact]] = {}
    for path in paths:
        fmt = detect_watchlist_format(path)
        if fmt == "ofac-sdn":
            for _, row in _csv_records(path):
                if len(row) == len(SDN_COLUMNS) and row[0].strip().isdigit():
                    found = contacts_in_remarks(row[11])
                    if found:
                        out.setdefault(f"ofac-sdn-{row[0].strip()}", []).extend(found)
        elif fmt == "ftm":
            with open(path, encoding="utf-8") as fh:
                for text in fh:
                    try:
                        obj = json.loads(text)
                    except ValueError:
                        continue  # the watchlist loader reports broken lines
                    props = obj.get("properties") or {} if isinstance(obj, dict) else {}
                    for prop, kind in FTM_CONTACT_PROPS.items():
                        for v in props.get(prop) or []:
                            if isinstance(v, str):
                                out.setdefault(str(obj.get("id")), []).extend(contacts_from_field(kind, v))
        else:
            records = _csv_records(path)
            header: list[str] = next(records, (1, []))[1]
            cols = [h.strip().lower() for h in header]
            for line, row in records:
                rec = dict(zip(cols, row, strict=False))
                entry_id = (rec.get("id") or "").strip() or f"{Path(path).stem}-{line}"
                for col, kind in (("phone", "phone"), ("email", "email"), ("website", "url")):
                    for v in re.split(r"[;|]", rec.get(col) or ""):
                        if v.strip():
                            out.setdefault(entry_id, []).extend(contacts_from_field(kind, v))
    return out
