"""Search: full-text objects over search_entry (FTS5 on SQLite, a tsvector on PostgreSQL)

Written by hand: autogenerate cannot see virtual tables, triggers, extensions or expression
indexes. The models know only search_entry; migrations/env.py and tests/test_migrations.py
leave the FTS5 tables, the PostgreSQL column search_vector and the two indexes made here out of
the model comparison. A later
migration that rebuilds search_entry on SQLite (batch mode "move and copy") must recreate the
three triggers and the lookup index.

Revision ID: 4e8701ab642d
Revises: 3337b1430b46
Create Date: 2026-11-27 09:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "4e8701ab642d"
down_revision = "3337b1430b46"
branch_labels = None
depends_on = None

# The folded columns are already lower case without diacritics; unicode61 with
# remove_diacritics 2 folds whatever fold() leaves (letters of other scripts) the same way.
SQLITE_UPGRADE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        folded_title, folded_body,
        content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    # External content: the index holds only tokens, these triggers keep it in step.
    """
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts (rowid, folded_title, folded_body)
        VALUES (new.id, new.folded_title, new.folded_body);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts (search_fts, rowid, folded_title, folded_body)
        VALUES ('delete', old.id, old.folded_title, old.folded_body);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF folded_title, folded_body
    ON search_entry BEGIN
        INSERT INTO search_fts (search_fts, rowid, folded_title, folded_body)
        VALUES ('delete', old.id, old.folded_title, old.folded_body);
        INSERT INTO search_fts (rowid, folded_title, folded_body)
        VALUES (new.id, new.folded_title, new.folded_body);
    END
    """,
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
    # What a search reads for every match (kind, date), by id. A row keeps those columns after
    # the long body, so reading them from the table walks the body's overflow pages; with this
    # covering index a search matching 5,000 of 12,000 entries takes half the time.
    "CREATE INDEX ix_search_entry_lookup ON search_entry (id, kind, published_at)",
]

SQLITE_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_search_entry_lookup",
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRESQL_UPGRADE = [
    # Both extensions are trusted (PostgreSQL 13+): the database owner may create them.
    "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public",
    # unaccent() is STABLE (it reads a dictionary), so it cannot go into an index; this wrapper
    # names the dictionary and is IMMUTABLE, for indexes over raw (unfolded) columns.
    """
    CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent', $1) $$
    """,
    # The document the index holds and queries match: title weighted A, body B. ASCII
    # punctuation becomes a space first, or the parser would keep "123/qd-ubnd", "a.vn" or
    # "1.000948.h38" as single tokens (file, host, version) where FTS5 sees separate words.
    """
    CREATE FUNCTION search_document(title text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT setweight(to_tsvector('simple'::regconfig,
                   regexp_replace(coalesce(title, ''), '[[:punct:]]+', ' ', 'g')), 'A')
            || setweight(to_tsvector('simple'::regconfig,
                   regexp_replace(coalesce(body, ''), '[[:punct:]]+', ' ', 'g')), 'B')
    $$
    """,
    # Matching goes through this expression index. The planner uses it because it knows the
    # expression is costly; an index on the stored column below lost to a sequential scan that
    # read every row's document (60 ms instead of 5 for 2,000 matches out of 12,000).
    """
    CREATE INDEX ix_search_entry_document ON search_entry
    USING gin (search_document(folded_title, folded_body))
    """,
    # Ranking reads the document of every match: rebuilt per row, a search matching 5,000
    # entries took 270 ms; stored, 10 ms. The models do not map the column; PostgreSQL fills it.
    """
    ALTER TABLE search_entry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (search_document(folded_title, folded_body)) STORED
    """,
]

POSTGRESQL_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS search_document(text, text)",
    "DROP FUNCTION IF EXISTS f_unaccent(text)",
    "DROP EXTENSION IF EXISTS pg_trgm",
    "DROP EXTENSION IF EXISTS unaccent",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UPGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UPGRADE)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWNGRADE)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWNGRADE)
