"""The one format table every reader uses, and how an input is opened: format, encoding, CSV dialect.

`identify` and `screen` both call `detect_format` and `Source`, so a file one reads the other reads the same
way, and every bad-input case (binary data, a foreign encoding, a BOM, a semicolon dialect) behaves alike.

Format: `--input-format` if given, else the file's extension (`FORMATS`), else sniffed from its first
bytes (Parquet's magic number, a JSON object, an SDF block, a delimited header, else plain text): so a
piped JSONL or CSV is read as what it is, not as lines of text.

Encoding: `--encoding` if given; else a byte-order mark says it (UTF-8, UTF-16, UTF-32; the mark is never
part of the first field); else UTF-8 when the first `HEAD_BYTES` decode as UTF-8; else charset-normalizer
detects it from those bytes, and the summary says "detected" (unless lines with valid non-ASCII UTF-8
outnumber the broken ones: then it is a UTF-8 file whose broken lines are rejected). A file of binary data (NUL bytes, no
encoding) is refused. A later line the chosen encoding cannot decode becomes a reject naming the line.

CSV dialect: `--delimiter` if given, tab for `.tsv`, else `csv.Sniffer` chooses among , ; tab and | on the
first lines (Excel's European CSV uses ';').
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from precwatch.io.records import InputError


@dataclass(frozen=True, slots=True)
class Format:
    """One input format: its name, its extensions, and which commands read it."""

    name: str
    extensions: tuple[str, ...]
    tabular: bool
    """Records of named fields (CSV, TSV, JSONL, Parquet): `screen` and `identify` read these."""
    description: str


FORMATS: tuple[Format, ...] = (
    Format("csv", (".csv",), True, "comma- (or ;-, |-) separated values with a header row"),
    Format("tsv", (".tsv", ".tab"), True, "tab-separated values with a header row"),
    Format("jsonl", (".jsonl", ".ndjson", ".json"), True, "one JSON object per line"),
    Format("parquet", (".parquet", ".pq"), True, "Apache Parquet (not from standard input)"),
    Format("text", (".txt",), False, "one record per line, id = line number (identify only)"),
    Format("smi", (".smi", ".smiles"), False, "one SMILES per line, optionally an id (identify only)"),
    Format("sdf", (".sdf", ".sd", ".mol"), False, "MOL blocks separated by $$$$ (identify only)"),
)
"""Every input format precwatch reads."""

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
TABLE_FORMATS: tuple[str, ...] = tuple(f.name for f in FORMATS if f.tabular)
_BY_EXTENSION = {ext: f.name for f in FORMATS for ext in f.extensions}
HEAD_BYTES = 256 * 1024
"""How much of an input is looked at to choose its format, encoding and dialect."""
DELIMITERS = ",;\t|"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def format_of_extension(path: str) -> str | None:
    """The format an extension names (".tsv" -> "tsv"), or None."""
    return _BY_EXTENSION.get(Path(path).suffix.lower()) if path != "-" else None


def sniff_format(head: bytes) -> str:
    """The format of an input from its first bytes (already decoded to UTF-8 where it was text)."""
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "jsonl"
    if "\nM  END" in text or "\n$$$$" in text:
        return "sdf"
    first = text.split("\n", 1)[0]
    if any(first.count(d) >= 1 for d in DELIMITERS) and "\n" in text:
        second = text.split("\n", 2)[1] if text.count("\n") >= 1 else ""
        for d in DELIMITERS:
            if first.count(d) >= 1 and (not second.strip() or second.count(d) >= 1):
                return "tsv" if d == "\t" else "csv"
    return "text"


def sniff_delimiter(sample: str, fmt: str, given: str | None = None) -> str:
    """The CSV delimiter: `given`, tab for TSV, else the one `csv.Sniffer` finds in `sample` (default ',')."""
    if given is not None:
        given = {"\\t": "\t", "tab": "\t"}.get(given, given)
        if len(given) != 1:
            raise InputError(f"--delimiter must be one character, got {given!r}")
        return given
    if fmt == "tsv":
        return "\t"
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        found = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ","
    if found not in lines[0]:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        found = best if counts[best] else ","
    return found


class _Chained(io.RawIOBase):
    """The bytes already read (the head), then the rest of the stream; hashes and counts every byte it
    hands on, so the input's SHA-256 is the file's own (BOM and original encoding included)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self.hash = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self.hash.update(self._head[:n])
            self.count += n
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        self.hash.update(data)
        self.count += len(data)
        return len(data)


class Source:
    """An input opened for reading, as UTF-8 lines: its name, size, format, encoding and a hash.

    `readline(limit)` gives the next line's bytes (at most `limit`); `decode(raw)` turns a line into text
    (UnicodeDecodeError when it is not in the input's encoding). `sha256` is the hash of every byte read.
    """

    def __init__(
        self,
        path: str,
        *,
        encoding: str | None = None,
        fmt: str | None = None,
        stream: BinaryIO | None = None,
    ) -> None:
        self.path = path
        self.name = "<stdin>" if path == "-" else path
        self._from_path = stream is None and path != "-"
        stream, self.size = (stream, None) if stream is not None else _open(path)
        self._stream = stream
        head = stream.read(HEAD_BYTES)
        self.bytes_read = 0
        self.encoding, self.detected = _encoding(head, encoding, self.name)
        if fmt is not None and fmt not in FORMAT_NAMES:
            raise InputError(f"unknown format {fmt!r}: expected one of {', '.join(FORMAT_NAMES)}")
        self.format = fmt or format_of_extension(path) or None
        self._raw = _Chained(head, stream)
        reader: io.BufferedIOBase = io.BufferedReader(self._raw, buffer_size=1 << 16)
        self._codec = self.encoding
        if self.format == "parquet" or (self.format is None and head.startswith(b"PAR1")):
            self.format = "parquet"
        elif codecs.lookup(self.encoding).name.startswith(("utf-16", "utf-32")):
            text = io.TextIOWrapper(reader, encoding=self.encoding, errors="replace", newline="")  # type: ignore[type-var]
            reader = io.BufferedReader(_Transcoded(text), buffer_size=1 << 16)  # type: ignore[arg-type]
            self._codec = "utf-8"
        elif self.encoding == "utf-8-sig":
            self._codec = "utf-8"
            reader.read(len(codecs.BOM_UTF8))
        self._reader = reader
        self.utf8 = codecs.lookup(self._codec).name == "utf-8"
        """Whether `decode` is plain UTF-8 (a line's bytes can go to a UTF-8 parser as they are)."""
        if self.format is None:
            self.format = sniff_format(reader.peek(HEAD_BYTES)[:HEAD_BYTES])  # type: ignore[attr-defined]

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str, fmt: str | None = None) -> Source:
        """A source over bytes in memory (the --smiles values; tests)."""
        return cls(name, fmt=fmt, stream=io.BytesIO(data))

    @property
    def shown_encoding(self) -> str:
        """The encoding as the summary shows it: "utf-8", "cp1252 (detected)"."""
        return self.encoding + (" (detected)" if self.detected else "")

    @property
    def sha256(self) -> str | None:
        """The SHA-256 of the input's bytes as stored (a BOM and the original encoding included), once it
        has been read to the end; a Parquet file (read by pyarrow, not through this source) is hashed from
        its path (Parquet from standard input or memory gives None)."""
        if self.format == "parquet":
            if not self._from_path:
                return None
            with open(self.path, "rb") as f:
                return hashlib.file_digest(f, "sha256").hexdigest()
        return self._raw.hash.hexdigest()

    @property
    def raw_bytes(self) -> int:
        """Bytes of the input as stored that were handed on to the reader (the file's size once read)."""
        return self._raw.count

    def head_text(self) -> str:
        """The first bytes not yet read, decoded (for dialect sniffing)."""
        peek = self._reader.peek(HEAD_BYTES)[:HEAD_BYTES]  # type: ignore[attr-defined]
        return bytes(peek).decode(self._codec, "replace")

    def readline(self, limit: int = -1) -> bytes:
        line = self._reader.readline(limit)
        self.bytes_read += len(line)
        return line

    def decode(self, raw: bytes) -> str:
        return raw.decode(self._codec)

    def close(self) -> None:
        """Close an input file, never standard input."""
        if self._stream is not sys.stdin.buffer:
            self._stream.close()


class _Transcoded(io.RawIOBase):
    """A text stream (a UTF-16 file decoded) as UTF-8 bytes."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._text.read(8192)
            if not chunk:
                return 0
            self._pending = chunk.encode("utf-8")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _open(path: str) -> tuple[BinaryIO, int | None]:
    if path == "-":
        return sys.stdin.buffer, None
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        return p.open("rb"), p.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc


def _mostly_utf8(head: bytes) -> bool:
    """True when some lines hold non-ASCII text that is valid UTF-8: a UTF-8 file with a few broken lines,
    whose broken lines are rejected rather than the whole file read in a guessed encoding (which would
    garble its good Chinese or accented lines)."""
    good = bad = 0
    for line in head.split(b"\n")[:-1] or [head]:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    return good > 0 and good >= bad


PREFERRED_LEGACY = ("cp1252", "gb18030")
"""Legacy encodings that win a near tie in detection: Windows Western European (Spanish, English, French
accents) and China's GB18030, the encodings declarations and listings of the trade precwatch watches arrive in.
On a short file charset-normalizer often cannot tell cp1252 from cp1250/cp1257 ("Peña" read as "Peńa") or
GB18030 from Japanese cp932 (Chinese read as kanji mojibake); the text decides only when it is long enough to
make the other reading clearly worse."""

NEAR_TIE = 0.05
"""How much more 'chaos' (charset-normalizer's mess ratio) a preferred encoding may have and still win."""


def _encoding(head: bytes, given: str | None, name: str) -> tuple[str, bool]:
    """The input's encoding and whether it was detected (rather than given, marked or plain UTF-8)."""
    if given is not None:
        try:
            codec = codecs.lookup(given).name
        except LookupError:
            raise InputError(f"--encoding: unknown encoding {given!r}") from None
        return ("utf-8-sig" if codec == "utf-8" and head.startswith(codecs.BOM_UTF8) else given), False
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, False
    if head.startswith(b"PAR1"):
        return "utf-8", False
    try:
        head.decode("utf-8")
        return "utf-8", False
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8", False  # the head cut a character in two
    if b"\x00" in head:
        raise InputError(f"{name}: binary data, not a text, CSV, JSON Lines or Parquet file")
    if _mostly_utf8(head):
        return "utf-8", False
    from charset_normalizer import from_bytes

    found = from_bytes(head)
    best = found.best()
    if best is None:
        raise InputError(f"{name}: the encoding cannot be recognised: give it with --encoding")
    # a match stands for every encoding that reads the head to the same text (`could_be_from_charset`):
    # cp1252 is often reported as cp1250, whose reading of Western accents is the same
    near = {
        e for m in found if m.chaos <= best.chaos + NEAR_TIE for e in (m.encoding, *m.could_be_from_charset)
    }
    return next((e for e in PREFERRED_LEGACY if e in near), best.encoding), True
