"""Word search over incident records: PostgreSQL full-text search (tsvector + GIN) and SQLite FTS5.

What `q=` matches, on both back ends alike: the query is normalised like the stored text
(`core.sharing.incidents.normalise_search`: case, accents and compatibility forms folded, every run of
punctuation one separator), and every query word must be the *prefix* of a word of the record's text as the
caller may see it (`pipe` finds "piperidone", `idone` does not). Chinese and Japanese are written without
spaces, so the indexed text puts each Han or kana character in a word of its own and a query's run of them
must occur as consecutive characters (a phrase): `嘉运` finds "湖北嘉运化工有限公司".

The tokens are ours, not the database's: text reaches the index already normalised and split on spaces, so
neither PostgreSQL's parser nor FTS5's tokenizer has anything left to decide, and both give the same results
for the same data. PostgreSQL uses the `simple` configuration (lower-case, no stemming, no stop words):
records mix English, Spanish and Chinese, and an English or Spanish stemmer would mangle the other language
and chemical names ("piperidona" is not "piperidon"). SQLite's FTS5 table uses `unicode61 remove_diacritics
2` for the same reason. User text never reaches either query language as syntax: each word is quoted here
as a lexeme (`'pipe':*`) or an FTS5 string (`"pipe"*`), joined with AND.

`party=` matches a party name (as the caller may see it) that contains the normalised query, on both back
ends (`hubei jiayun` finds "Hubei Jiayun Chemical Co."; `jiayun chem` too). On PostgreSQL a `pg_trgm`
trigram GIN index serves that `LIKE '%...%'` test instead of a scan. Typo-tolerant (similarity) matching is
deliberately not done: party names differ by a digit ("Trader 1" / "Trader 11") or a legal form, and trigram
similarity merges them (0.88 for those two) while missing a longer query ("Hubei Jiayun Chemical Co" is only
0.54 similar to "Hubei Jiayun").

Objects outside the SQLAlchemy metadata (created by migration 0006): PostgreSQL generated columns
`incidents.search_owner_tsv` and `search_public_tsv` with their GIN indexes and the trigram indexes on the
party-name columns; SQLite the FTS5 table `incidents_fts` (rowid = `incidents.rowid`) kept in sync by
triggers. `include_object` tells Alembic's autogenerate to leave them alone.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    cast,
    column,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from precwatch.core.sharing.incidents import normalise_search

FTS_TABLE = "incidents_fts"
"""SQLite: the FTS5 table over `incidents.search_owner` / `search_public` (its shadow tables share the prefix)."""

FTS_TOKENIZER = "unicode61 remove_diacritics 2"

PG_TSV_COLUMNS = ("search_owner_tsv", "search_public_tsv")
PG_INDEXES = (
    "ix_incidents_search_owner_tsv",
    "ix_incidents_search_public_tsv",
    "ix_incidents_party_names_owner_trgm",
    "ix_incidents_party_names_public_trgm",
)
SQLITE_TRIGGERS = ("incidents_fts_insert", "incidents_fts_update", "incidents_fts_delete")

MAX_TOKEN_CHARS = 200
"""Longer runs of letters (pasted hashes, base64) are not indexed: PostgreSQL refuses lexemes over 2 KiB."""

_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])")
"""Hiragana, katakana and Han ideographs: scripts written without spaces between words."""


def split_words(normalised: str) -> list[list[str]]:
    """Each word of normalised text as its tokens: one token for a word of a spaced script, one per character
    for a run of Han or kana (`"abc嘉运"` -> `["abc", "嘉", "运"]`)."""
    return [[p for p in _CJK.split(word) if p] for word in normalised.split()]


def index_text(normalised: str) -> str:
    """The text to index, from normalised search text: Han and kana characters as words of their own, words
    over `MAX_TOKEN_CHARS` left out, padded with a space each side (like `normalise_search`)."""
    tokens = [t for word in split_words(normalised) for t in word if len(t) <= MAX_TOKEN_CHARS]
    return " " + " ".join(tokens) + " "


def query_words(q: str) -> list[list[str]]:
    """The words of a query (after normalisation), each as its tokens (see `split_words`)."""
    return split_words(normalise_search(q))


def _is_cjk(token: str) -> bool:
    return bool(_CJK.fullmatch(token))


def tsquery(words: list[list[str]]) -> str:
    """A PostgreSQL tsquery (input syntax, read literally: no parser, no dictionary) requiring every word:
    a word as a prefix lexeme, a run of tokens as a phrase whose last token is a prefix unless it is Han."""

    def lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    terms = []
    for tokens in words:
        parts = [lexeme(t) for t in tokens]
        if not _is_cjk(tokens[-1]):
            parts[-1] += ":*"
        terms.append("(" + " <-> ".join(parts) + ")")
    return " & ".join(terms)


def fts5_query(words: list[list[str]], column_name: str) -> str:
    """An FTS5 query on one column requiring every word: each a quoted string (a phrase when it has several
    tokens), a prefix query (`*`) unless its last token is Han (then the exact characters)."""
    terms = []
    for tokens in words:
        phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
        terms.append(phrase if _is_cjk(tokens[-1]) else phrase + "*")
    return f"{column_name} : (" + " AND ".join(terms) + ")"


def query_values(words: list[list[str]], dialect: str) -> dict[str, str]:
    """The bind values `q_clause` needs for these query words on this dialect."""
    if dialect == "postgresql":
        return {"q_tsquery": tsquery(words)}
    return {"q_owner": fts5_query(words, "search_owner"), "q_public": fts5_query(words, "search_public")}


def q_clause(dialect: str, owner_org: ColumnElement[Any], rowid: ColumnElement[Any]) -> ColumnElement[bool]:
    """The `q=` condition on incidents (parameters from `query_values`): the owner organisation searches its
    full text, every other viewer the redacted text. `rowid` is `incidents.rowid` (SQLite only)."""
    org_id = bindparam("viewer_org_id", type_=Integer)
    if dialect == "postgresql":
        owner_tsv, public_tsv = (literal_column(f"incidents.{c}", TSVECTOR) for c in PG_TSV_COLUMNS)
        query = cast(bindparam("q_tsquery"), TSQUERY)
        return or_(
            and_(owner_org == org_id, owner_tsv.op("@@")(query)),
            and_(owner_org != org_id, public_tsv.op("@@")(query)),
        )
    fts = table(FTS_TABLE, column("rowid"))
    fts_match = literal_column(FTS_TABLE).op("MATCH")

    def hits(name: str) -> Any:
        return select(fts.c.rowid).where(fts_match(bindparam(name)))

    return or_(
        and_(owner_org == org_id, rowid.in_(hits("q_owner"))),
        and_(owner_org != org_id, rowid.in_(hits("q_public"))),
    )


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic `include_object` hook: skip the search objects that live outside the metadata."""
    if not reflected or compare_to is not None or name is None:
        return True
    if type_ == "table" and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name in PG_TSV_COLUMNS:
        return False
    return not (type_ == "index" and name in PG_INDEXES)
