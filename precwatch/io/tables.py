"""Stream declarations and listings to screen from CSV, TSV, JSON Lines or Parquet, never losing a record.

`read_raw` opens the input (`precwatch.io.formats`: format, encoding, dialect), finds the column of each
canonical field and yields each record as a `RawRow` (its line and its fields under their canonical names)
or a `Reject`; `parse_rows` turns the rows into Declarations or Listings (`precwatch.core.screening.fields`).
So every record read is either screened or rejected: read = scored + rejected.

Column names: each canonical field (`DECLARATION_FIELDS`, `LISTING_FIELDS`) is found under its own name,
ignoring case, spaces, dashes and underscores, else under a common other name (`ALIASES`: a listing's
`name` or `product_name` is its title, `text`, `body` or `content` its description), else where a mapping
{canonical name: column} says (`--map "hs_code=HS Code"` or a mapping file; mapping a name to nothing says
the file has no such column). A file in which no column holds the record's text is refused, naming the
columns it has; other missing columns are read as empty and listed in `RawRows.absent`.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from precwatch.core.screening.fields import FieldError, declaration_from_row, listing_from_row
from precwatch.core.screening.records import Kind, ScreenRecord
from precwatch.io.formats import TABLE_FORMATS, Source
from precwatch.io.mapping import check_mapping, fields_of
from precwatch.io.records import InputError, Reject
from precwatch.io.table_readers import RawRow as RawRow
from precwatch.io.table_readers import Resolve, parquet_rows, read_table

SCREEN_FORMATS = TABLE_FORMATS
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "declarations": ("description",),
    "listings": ("title", "description"),
}
"""The fields that hold the text a record is screened on: a file must have one of them."""
DEFAULT_MAX_TEXT_BYTES = 16 * 1024 * 1024
"""A record whose text is longer is rejected (`text-too-long`) rather than screened. Identification time is
linear in the text (`make bench`, `huge_record`: a 5 MB record in seconds), so the guard only bounds the time
and memory one record may take; it matches the longest line a JSON Lines reader accepts (16 MiB)."""

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("declaration_id", "entry_id", "record_id", "listing_id", "product_id", "item_id", "sku", "ref",
           "reference", "key",
           "folio", "pedimento", "numero_de_pedimento", "num_pedimento", "referencia",
           "报关单号", "编号"),
    "date": ("fecha", "fecha_de_pago", "fecha_de_entrada", "日期", "申报日期", "进口日期", "出口日期"),
    "description": ("goods_description", "description_of_goods", "item_description", "product_description",
                    "commodity", "goods", "text", "body", "content", "details", "desc",
                    "descripcion", "descripcion_de_la_mercancia", "descripcion_mercancia", "mercancia",
                    "mercancias", "descripcion_del_producto",
                    "货物描述", "商品描述", "货物名称", "品名", "描述"),
    "title": ("name", "product_name", "product", "subject", "heading", "headline",
              "titulo", "nombre", "nombre_del_producto", "producto",
              "标题", "商品名称", "产品名称"),
    "hs_code": ("hs", "hscode", "tariff_code", "commodity_code",
                "fraccion_arancelaria", "fraccion", "codigo_arancelario", "partida_arancelaria",
                "hs编码", "海关编码", "商品编码", "税则号"),
    "shipper_name": ("shipper", "exporter", "exporter_name", "sender",
                     "exportador", "remitente", "proveedor", "embarcador", "nombre_del_exportador",
                     "发货人", "出口商", "境外发货人"),
    "shipper_address": ("exporter_address", "sender_address",
                        "domicilio_del_exportador", "direccion_del_exportador", "direccion_del_remitente",
                        "发货人地址"),
    "consignee_name": ("consignee", "importer", "importer_name", "receiver",
                       "importador", "destinatario", "consignatario", "nombre_del_importador",
                       "收货人", "进口商", "境内收货人"),
    "consignee_address": ("importer_address", "receiver_address",
                          "domicilio_del_importador", "direccion_del_importador", "direccion_del_destinatario",
                          "收货人地址"),
    "shipper_country": ("origin_country", "country_of_origin", "export_country",
                        "pais_de_origen", "pais_origen", "origen",
                        "原产国", "起运国"),
    "consignee_country": ("destination_country", "country_of_destination", "import_country",
                          "pais_de_destino", "pais_destino", "destino",
                          "目的国", "抵运国"),
    "quantity": ("qty", "cantidad", "cantidad_comercial", "数量"),
    "unit": ("unidad", "unidad_de_medida", "单位", "计量单位"),
    "value_usd": ("value", "declared_value", "valor_dolares", "valor_en_dolares", "valor_usd"),
    "transport_mode": ("medio_de_transporte", "modo_de_transporte", "运输方式"),
    "port_of_loading": ("puerto_de_embarque", "puerto_de_carga", "装货港", "起运港"),
    "port_of_discharge": ("puerto_de_descarga", "puerto_de_destino", "卸货港", "目的港"),
    "seller": ("vendor", "seller_name", "company", "shop", "store", "supplier",
               "vendedor", "proveedor", "tienda", "empresa",
               "供应商", "卖家", "商家", "公司"),
    "contacts": ("contact", "phone", "email", "contacto", "telefono", "correo", "联系方式", "电话", "邮箱"),
    "price": ("precio", "价格", "单价"),
    "url": ("link", "product_url", "page_url", "enlace", "链接", "网址"),
    "captured_at": ("timestamp", "scraped_at", "crawled_at", "date", "fecha_de_captura", "fecha", "采集时间"),
}  # fmt: skip
"""Other names files commonly use for a canonical field (tried after the field's own name), in English, in
Spanish (Mexican customs: a pedimento's `fracción arancelaria` is its HS code, `valor dólares` its value in
US dollars; the peso `valor aduana` is not mapped) and in Chinese (a customs declaration's 品名, 发货人,
收货人, 原产国): compared loosely (`_loose`), so `Descripción de la mercancía` is `descripcion_de_la_mercancia`."""


def _loose(name: str) -> str:
    """A column name compared loosely: case, accents, spaces, dashes, underscores and other punctuation
    ignored ("País de origen" == "pais_de_origen", "HS编码" == "hs编码")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@dataclass(slots=True)
class Progress:
    """How far a reader got: `done` of `total` (None when unknown, e.g. standard input) in `unit`."""

    unit: str
    total: int | None
    source: Source

    @property
    def done(self) -> int:
        return self.source.bytes_read


class RawRows(Iterator[RawRow | Reject]):
    """The rows of one input in order, with the `source` (encoding, hash), a `progress` a bar can follow,
    the `columns` used ({field: column}) and the canonical fields `absent` from the file."""

    def __init__(self, rows: Iterator[RawRow | Reject], progress: Progress, columns: dict[str, str]) -> None:
        self._rows = rows
        self.progress = progress
        self.source = progress.source
        self.columns = columns
        self.absent: list[str] = []

    def __next__(self) -> RawRow | Reject:
        return next(self._rows)


def resolver(
    kind: Kind, mapping: Mapping[str, str | None] | None, name: str
) -> tuple[dict[str, str], Resolve]:
    """{field: column} filled in by the returned function when it sees the columns (see `read_table`)."""
    fields = fields_of(kind)
    given = check_mapping(mapping or {}, kind)
    chosen: dict[str, str] = {}

    def resolve(found: list[str]) -> dict[str, str]:
        loose = {_loose(c): c for c in reversed(found)}
        missing: list[str] = []
        for f in fields:
            if f in given:
                col = given[f]
                if col is None:
                    continue
                hit = col if col in found else loose.get(_loose(col))
                if hit is None:
                    missing.append(f"{f} (as {col!r})")
                    continue
            else:
                hit = f if f in found else loose.get(_loose(f))
                for alias in ALIASES.get(f, ()) if hit is None else ():
                    hit = loose.get(_loose(alias))
                    if hit is not None and hit not in chosen.values():
                        break
                    hit = None
            if hit is not None:
                chosen[f] = hit
        if missing:
            raise InputError(
                f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the columns "
                f"found are: {', '.join(found) or '(none)'}"
            )
        if not any(f in chosen for f in TEXT_FIELDS[kind]):
            wanted = " or ".join(TEXT_FIELDS[kind])
            raise InputError(
                f"{name}: no {wanted} field to screen: the fields found are: {', '.join(found) or '(none)'}. "
                f'Name the text column with --map "{TEXT_FIELDS[kind][-1]}=COLUMN" (or a mapping file).'
            )
        return dict(chosen)

    return chosen, resolve


def read_raw(
    path: str,
    fmt: str | None,
    *,
    kind: Kind,
    mapping: Mapping[str, str | None] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_text_bytes: int | None = DEFAULT_MAX_TEXT_BYTES,
) -> tuple[RawRows, int | None]:
    """The records of `path` ('-' = standard input) as RawRows and Rejects, and the input's size.

    The size (None when unknown) is in `rows.progress.unit`: bytes for CSV/JSONL, rows for Parquet.
    Raises InputError at once when the input cannot be used: a missing file, binary data, a file with no
    text field, an unknown mapping field.
    """
    source = Source(path, encoding=encoding, fmt=fmt)
    if source.format not in TABLE_FORMATS:
        source.close()
        raise InputError(
            f"{source.name}: a {source.format} input cannot be screened: give CSV, TSV, JSON Lines or Parquet"
        )
    chosen, resolve = resolver(kind, mapping, source.name)
    rows = read_table(source, resolve, delimiter=delimiter)
    if source.format == "parquet":
        progress = Progress("rows", parquet_rows(path), source)
    else:
        progress = Progress("bytes", source.size, source)
    if max_text_bytes is not None:
        rows = _guard(rows, TEXT_FIELDS[kind], max_text_bytes, source.name)
    raw = RawRows(rows, progress, chosen)
    raw.absent = [f for f in fields_of(kind) if f not in chosen]
    return raw, progress.total


def _guard(rows: Iterator[RawRow | Reject], fields: tuple[str, ...], limit: int, name: str) -> Iterator[
    RawRow | Reject
]:  # fmt: skip
    """Reject a record whose text is longer than `limit` bytes (UTF-8)."""
    for item in rows:
        if not isinstance(item, Reject):
            for f in fields:
                value = item[1].get(f)
                if isinstance(value, str) and len(value) * 4 > limit and len(value.encode()) > limit:
                    size = len(value.encode())
                    shown = value[:1000] + "…"
                    why = f"{f} is {size} bytes, more than --max-text-bytes {limit}"
                    item = Reject(name, item[0], f, why, shown, "text-too-long")
                    break
        yield item


def parse_rows(
    rows: Iterable[RawRow | Reject], kind: Kind, file_name: str
) -> Iterator[ScreenRecord | Reject]:
    """Validated records, in input order; a row with neither id nor text becomes a Reject."""
    build = declaration_from_row if kind == "declarations" else listing_from_row
    for item in rows:
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        try:
            yield build(row, line)
        except FieldError as exc:
            raw = json.dumps(row, ensure_ascii=False, default=str)
            code = "no-id-or-text" if exc.field == "id" else "unusable-field"
            yield Reject(file_name, line, exc.field, exc.reason, raw, code)
