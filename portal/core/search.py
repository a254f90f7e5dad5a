"""One search index over whatever the domains publish, folded for Vietnamese.

Domains write an entry when an item becomes public and remove it when it stops being public
(core knows no domain: it stores kind, reference, title, text and URL parameters). Matching
ignores diacritics and đ/Đ; the dialect-specific full-text objects (FTS5 on SQLite, a tsvector
index on PostgreSQL) are created by migrations.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dbtypes import UTCDateTime
from portal.core.text import fold
from portal.extensions import db


def modelled(name, type_, parent_names) -> bool:
    """Alembic include_name hook: False for the full-text objects no model describes.

    A hand-written migration (..._search.py) makes them: on SQLite the FTS5 table search_fts,
    its shadow tables and a covering index; on PostgreSQL a generated tsvector column and its GIN
    index. migrations/env.py and the models-match-migrations test both use this, so autogenerate
    never offers to drop them.
    """
    if type_ == "table":
        return not name.startswith("search_fts")
    if type_ == "index":
        return name not in ("ix_search_entry_document", "ix_search_entry_lookup")
    if type_ == "column":
        return not (name == "search_vector" and parent_names["table_name"] == "search_entry")
    return True


class SearchEntry(db.Model):
    __tablename__ = "search_entry"
    __table_args__ = (db.UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(20), index=True)  # one of KINDS
    ref_id: Mapped[int]
    slug: Mapped[str] = mapped_column(db.String(160))
    title: Mapped[str] = mapped_column(db.String(500))
    body: Mapped[str] = mapped_column(db.Text, default="")  # plain text, NFC
    folded_title: Mapped[str] = mapped_column(db.String(500))  # core.text.fold(title)
    folded_body: Mapped[str] = mapped_column(db.Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=lambda: datetime.now(UTC), onupdate=lambda: datetime.now(UTC)
    )


def index_entry(
    *,
    kind: str,
    ref_id: int,
    slug: str,
    title: str,
    body: str,
    published_at: datetime | None,
) -> None:
    """Add or refresh an item that is public now (the caller commits).

    `body` is plain text (use core.sanitize.clean_text on rich text first).
    """
    entry = db.session.scalar(
        db.select(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.ref_id == ref_id)
    )
    if entry is None:
        entry = SearchEntry(kind=kind, ref_id=ref_id)
        db.session.add(entry)
    entry.slug = slug
    entry.title = title
    entry.body = body
    entry.folded_title = fold(title)
    entry.folded_body = fold(body)
    entry.published_at = published_at


def remove_entry(*, kind: str, ref_id: int) -> None:
    """Take an item out of the index because it is no longer public (the caller commits)."""
    db.session.execute(
        db.delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.ref_id == ref_id)
    )


# --- Searching --------------------------------------------------------------------------------

KINDS = ("disclosure", "draft", "procedure", "answer")
MAX_QUERY_LENGTH = 200  # characters of the query that are read; the rest is ignored
MAX_TERMS = 12
SNIPPET_LENGTH = 240  # characters of body text shown around the matches
SNIPPET_LEAD = 60  # characters kept before the first match in the snippet
# A word found in the title counts ten times one found in the body.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0

# A word as FTS5's unicode61 tokenizer sees one: letters and digits; everything else,
# underscore included, separates words. Query terms built from it need no further escaping.
_WORD = re.compile(r"[^\W_]+")
_D_LETTERS = str.maketrans({"đ": "d", "ð": "d"})


@dataclass(frozen=True)
class Hit:
    kind: str
    ref_id: int
    slug: str
    title: str
    published_at: datetime | None
    title_parts: list[tuple[str, bool]]  # (text, is_match), original spelling
    snippet_parts: list[tuple[str, bool]]


@dataclass
class Results:
    query: str
    terms: tuple[str, ...]
    hits: list[Hit]
    total: int  # matches in the kinds asked for
    counts: dict[str, int]  # matches per kind, whatever kinds were asked for
    page: int
    per_page: int
    prefix: bool = False  # the last word was matched as the start of a word

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first_number(self) -> int:
        """The position of the page's first hit in the whole list (for <ol start>)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def all_kinds_total(self) -> int:
        return sum(self.counts.values())


def search_terms(query: str) -> tuple[str, ...]:
    """Return the folded words of a query, without repeats, at most MAX_TERMS of them."""
    words = _WORD.findall(fold(query[:MAX_QUERY_LENGTH]))
    return tuple(dict.fromkeys(words))[:MAX_TERMS]


def search(
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Results:
    """Find public entries holding every word of the query, best first, one page of them.

    Diacritics and case do not matter. Entries published in the future are left out. When no
    entry holds all the words as typed, the last word is tried again as the start of a word
    ("dang k" finds "đăng ký").
    """
    terms = search_terms(query)
    wanted = [k for k in KINDS if kinds is None or k in set(kinds)]
    page = max(1, page)
    results = Results(query, terms, [], 0, dict.fromkeys(KINDS, 0), page, per_page)
    if not terms or not wanted:
        return results
    backend = _backend()
    for prefix in (False, True):
        counts = dict(
            db.session.execute(
                backend.matching(
                    terms, prefix, db.select(SearchEntry.kind, db.func.count())
                ).group_by(SearchEntry.kind)
            ).all()
        )
        if counts:
            break
    results.counts.update(counts)
    results.prefix = prefix
    results.total = sum(results.counts[k] for k in wanted)
    if not results.total:
        return results
    columns = db.select(
        SearchEntry.kind,
        SearchEntry.ref_id,
        SearchEntry.slug,
        SearchEntry.title,
        SearchEntry.body,
        SearchEntry.published_at,
    )
    rows = db.session.execute(
        backend.ranked(terms, prefix, columns)
        .where(SearchEntry.kind.in_(wanted))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    pattern = _match_pattern(terms, prefix)
    results.hits = [
        Hit(
            kind=row.kind,
            ref_id=row.ref_id,
            slug=row.slug,
            title=row.title,
            published_at=row.published_at,
            title_parts=highlight(row.title, pattern),
            snippet_parts=snippet(row.body, pattern),
        )
        for row in rows
    ]
    return results


def _visible():
    now = datetime.now(UTC)
    return db.or_(SearchEntry.published_at.is_(None), SearchEntry.published_at <= now)


class _SQLite:
    """FTS5 (migration ..._search.py): the virtual table search_fts mirrors search_entry."""

    fts = db.table("search_fts", db.column("rowid"))
    fts_name = db.literal_column("search_fts")

    def match_expression(self, terms, prefix: bool) -> str:
        # Every term quoted: quotes, *, -, OR, NEAR, parentheses are then plain text. Terms
        # are letters and digits only (_WORD), so they hold no quote to escape.
        quoted = [f'"{t}"' for t in terms]
        if prefix:
            quoted[-1] += "*"
        return " ".join(quoted)

    def matching(self, terms, prefix, select):
        return (
            select.select_from(SearchEntry)
            .join(self.fts, self.fts.c.rowid == SearchEntry.id)
            .where(self.fts_name.op("MATCH")(self.match_expression(terms, prefix)), _visible())
        )

    def ranked(self, terms, prefix, select):
        # bm25() is lower for better matches.
        rank = db.func.bm25(self.fts_name, TITLE_WEIGHT, BODY_WEIGHT)
        return self.matching(terms, prefix, select).order_by(
            rank, SearchEntry.published_at.desc(), SearchEntry.id.desc()
        )


class _PostgreSQL:
    """A GIN index on search_document(folded_title, folded_body) finds the matches; the same
    document, stored in search_entry.search_vector (not mapped), ranks them.

    Migration ..._search.py makes both; search_document() weights the title A, the body B.
    """

    document = db.func.search_document(SearchEntry.folded_title, SearchEntry.folded_body)
    stored_document = db.literal_column("search_entry.search_vector")
    # ts_rank weights for D, C, B, A: the body is B, the title A.
    weights = db.literal_column(f"ARRAY[0, 0, {BODY_WEIGHT / TITLE_WEIGHT}, 1]::float4[]")

    def tsquery(self, terms, prefix: bool):
        words = [f"'{t}'" for t in terms]  # letters and digits only (_WORD): nothing to escape
        if prefix:
            words[-1] += ":*"
        return db.func.to_tsquery(db.literal_column("'simple'::regconfig"), " & ".join(words))

    def matching(self, terms, prefix, select):
        return select.where(self.document.op("@@")(self.tsquery(terms, prefix)), _visible())

    def ranked(self, terms, prefix, select):
        rank = db.func.ts_rank(self.weights, self.stored_document, self.tsquery(terms, prefix))
        return self.matching(terms, prefix, select).order_by(
            rank.desc(), SearchEntry.published_at.desc().nulls_last(), SearchEntry.id.desc()
        )


def _backend():
    return _PostgreSQL() if db.engine.dialect.name == "postgresql" else _SQLite()


# --- Highlighting in the original spelling ---------------------------------------------------


def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFD", char.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").translate(_D_LETTERS)


class _FoldTable(dict):
    """A str.translate table from each character to its folded form, filled as text is seen.

    Unlike fold(), spaces are not collapsed: folded NFC Vietnamese keeps every character where
    it was, so a match found in the folded text is at the same place in the original.
    """

    def __init__(self):
        super().__init__()
        self.irregular: set[str] = set()  # characters that fold to more or fewer than one

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        if len(value) != 1:
            self.irregular.add(chr(code))
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold_in_place(text: str) -> tuple[str, list[int] | None]:
    """Fold text for matching and say where each folded character came from.

    Returns (folded, origins): origins is None when folded[i] comes from text[i] (NFC
    Vietnamese, the usual case), otherwise origins[i] is the index in text that folded[i]
    comes from, with one more item, len(text), at the end.
    """
    folded = text.translate(_FOLD_TABLE)
    if not _FOLD_TABLE.irregular or _FOLD_TABLE.irregular.isdisjoint(text):
        return folded, None
    # Decomposed marks fold to nothing, some letters to two: map positions one by one.
    pieces, origins = [], []
    for index, char in enumerate(text):
        value = _FOLD_TABLE[ord(char)]
        pieces.append(value)
        origins.extend([index] * len(value))
    origins.append(len(text))
    return "".join(pieces), origins


def _match_pattern(terms: tuple[str, ...], prefix: bool) -> re.Pattern:
    exact = terms[:-1] if prefix else terms
    alternatives = []
    if exact:
        words = "|".join(re.escape(t) for t in sorted(exact, key=len, reverse=True))
        alternatives.append(rf"(?:{words})(?![^\W_])")
    if prefix:
        alternatives.append(rf"{re.escape(terms[-1])}[^\W_]*")
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})")


def _original_span(start: int, end: int, origins: list[int] | None, text: str) -> tuple[int, int]:
    if origins is None:
        return start, end
    begin, finish = origins[start], origins[end]
    if finish == origins[end - 1]:  # the match ends inside one character's expansion
        finish += 1
    # Keep combining marks that follow the last letter with it.
    while finish < len(text) and not _fold_char(text[finish]):
        finish += 1
    return begin, finish


def _parts(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    parts, cursor = [], 0
    for start, end in spans:
        if start > cursor:
            parts.append((text[cursor:start], False))
        parts.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        parts.append((text[cursor:], False))
    return parts


def highlight(text: str, pattern: re.Pattern) -> list[tuple[str, bool]]:
    """Split text into (text, is_match) parts, matches in the author's spelling."""
    folded, origins = fold_in_place(text)
    spans = [_original_span(m.start(), m.end(), origins, text) for m in pattern.finditer(folded)]
    return _parts(text, spans)


def snippet(body: str, pattern: re.Pattern, length: int = SNIPPET_LENGTH) -> list[tuple[str, bool]]:
    """Cut about `length` characters of body around its first matches, highlighted."""
    body = " ".join(body.split())  # one line; also keeps positions simple
    if not body:
        return []
    folded, origins = fold_in_place(body)
    first = pattern.search(folded)
    if first is None:
        start = 0
    else:
        start = _original_span(first.start(), first.end(), origins, body)[0]
        start = max(0, start - SNIPPET_LEAD)
        if start:
            # Begin at a word, not in the middle of one.
            space = body.find(" ", start)
            start = space + 1 if 0 <= space < start + SNIPPET_LEAD else start
    end = min(len(body), start + length)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    window = body[start:end]
    parts = highlight(window, pattern)
    if start:
        parts.insert(0, ("…", False))
    if end < len(body):
        parts.append(("…", False))
    return parts
