"""Read a marketplace snapshot: a folder of saved product pages, or a JSON Lines export.

Saved pages (`*.html`, `*.htm`, `*.xhtml`, searched recursively, in path order):
- schema.org `Product` / `Offer` / `AggregateOffer` / `Organization` / `Person` / `ContactPoint` in JSON-LD
  (`@graph` included) and microdata, read with extruct;
- the page's visible text (scripts, styles, navigation and footers set apart) for identification, contacts
  and, when the page has no markup, the seller ("Company: ...", "Supplier: ...", a name with a legal form);
- listing id: `<link rel="canonical">`, else the schema.org `url`, else `og:url`, else the file's path.

The platform's own organisation (a `WebSite`/`WebPage` publisher, an `Organization` on the page's own host
that sells nothing) is not the seller. A page is salvaged when its text allows (truncated HTML, invalid
JSON-LD: the page is read from what parses, and the item says so in `notes`); one with no text is rejected.

JSON Lines exports (`*.jsonl`, `*.ndjson`): one object a line with `id, title, description, seller,
contacts, price, url, captured_at`; `seller` a name or an object with a `name` and contact fields;
`contacts` a list of strings or `{kind, value}` objects, or an object of kind -> value(s). A truncated or
broken line is salvaged when its complete `"key": "value"` pairs include the `id`, else rejected.

Every input item ends up in `items` or `rejects` (with file, line and reason).
"""

from __future__ import annotations

from pathlib import Path

from precwatch.io.listing_exports import read_export
from precwatch.io.saved_pages import read_page
from precwatch.io.snapshot_items import EXPORT_SUFFIXES, PAGE_SUFFIXES, Snapshot, SnapshotError


def read_snapshot(path: str | Path) -> Snapshot:
    """Read a snapshot folder (pages and/or exports inside) or a single export or page file."""
    p = Path(path)
    if p.is_dir():
        files = sorted(
            f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES + EXPORT_SUFFIXES
        )
        kind = "pages" if all(f.suffix.lower() in PAGE_SUFFIXES for f in files) else "mixed"
        if files and all(f.suffix.lower() in EXPORT_SUFFIXES for f in files):
            kind = "export"
    elif p.is_file():
        files, kind = [p], ("export" if p.suffix.lower() in EXPORT_SUFFIXES else "pages")
    else:
        raise SnapshotError(f"{path}: no such file or folder")
    if not files:
        raise SnapshotError(f"{path}: no saved pages ({', '.join(PAGE_SUFFIXES)}) or exports (.jsonl)")
    snap = Snapshot(str(p), kind)
    for f in files:
        name = str(f.relative_to(p)) if p.is_dir() else f.name
        if f.suffix.lower() in EXPORT_SUFFIXES:
            for got in read_export(f, name):
                snap.add(got)
        else:
            snap.add(read_page(f.read_bytes(), name))
    return snap
