"""search words and tiers: fast first pages for common terms, and misspelt terms

Trigram word similarity against each claim's whole folded text is slow on large
data (every candidate's kilobyte of text is rechecked). Instead the distinct
folded words of all claims go into `search_word`, a small table with a trigram
index: a misspelt term first finds its nearest real words there, and those are
searched as substrings, which the trigram index on claim_search answers quickly.
claim_search also gets the statement alone (as a vector and folded) and the
claim's creation time, indexed newest first: results come in two tiers (the
statement matches, then only quotes or source names do), each newest first, so
a page of a common term is a short walk down that index instead of ranking every
match. Also orders the aggregated quotes and names, so rebuilding a claim's
searchable text always gives the same text.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFRESH = """
CREATE OR REPLACE FUNCTION cg_refresh_claim_search(claim_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM claim_search WHERE claim_id = ANY(claim_ids);
    INSERT INTO claim_search (claim_id, vector, folded, statement_vector, statement_folded,
                              created_at)
    SELECT cl.id,
           setweight(to_tsvector(cg_ts_config(cl.language), cl.statement), 'A')
           || coalesce(q.vector, ''::tsvector)
           || setweight(to_tsvector('simple', coalesce(s.names, '')), 'C'),
           cg_fold(concat_ws(' ', cl.statement, q.quotes, s.names)),
           to_tsvector(cg_ts_config(cl.language), cl.statement),
           cg_fold(cl.statement),
           cl.created_at
    FROM claim cl
    LEFT JOIN LATERAL (
        SELECT cg_tsvector_agg(
                   setweight(to_tsvector(cg_ts_config(d.language), a.quote), 'B')
                   ORDER BY a.id
               ) AS vector,
               string_agg(a.quote, ' ' ORDER BY a.id) AS quotes
        FROM attribution a JOIN document d ON d.id = a.document_id
        WHERE a.claim_id = cl.id AND a.quote IS NOT NULL
          AND a.review_status <> 'REJECTED'
    ) q ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(src.name || ' ' || cg_join(src.aliases), ' ' ORDER BY src.id) AS names
        FROM source src
        WHERE src.id IN (SELECT c.source_id FROM attribution_chain c
                         WHERE c.claim_id = cl.id)
    ) s ON true
    WHERE cl.id = ANY(claim_ids);
    -- No unique key on purpose: ON CONFLICT would make concurrent writers wait on each
    -- other's uncommitted words (and deadlock with their foreign-key waits). A word
    -- stored twice after a race costs nothing; readers take DISTINCT.
    INSERT INTO search_word (word)
    SELECT DISTINCT w
    FROM claim_search cs, regexp_split_to_table(cs.folded, '[^[:alnum:]]+') AS w
    WHERE cs.claim_id = ANY(claim_ids) AND char_length(w) BETWEEN 4 AND 40
      AND NOT EXISTS (SELECT 1 FROM search_word sw WHERE sw.word = w);
$$
"""

OLD_REFRESH = """
CREATE OR REPLACE FUNCTION cg_refresh_claim_search(claim_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM claim_search WHERE claim_id = ANY(claim_ids);
    INSERT INTO claim_search (claim_id, vector, folded)
    SELECT cl.id,
           setweight(to_tsvector(cg_ts_config(cl.language), cl.statement), 'A')
           || coalesce(q.vector, ''::tsvector)
           || setweight(to_tsvector('simple', coalesce(s.names, '')), 'C'),
           cg_fold(concat_ws(' ', cl.statement, q.quotes, s.names))
    FROM claim cl
    LEFT JOIN LATERAL (
        SELECT cg_tsvector_agg(
                   setweight(to_tsvector(cg_ts_config(d.language), a.quote), 'B')
               ) AS vector,
               string_agg(a.quote, ' ') AS quotes
        FROM attribution a JOIN document d ON d.id = a.document_id
        WHERE a.claim_id = cl.id AND a.quote IS NOT NULL
          AND a.review_status <> 'REJECTED'
    ) q ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(src.name || ' ' || cg_join(src.aliases), ' ') AS names
        FROM source src
        WHERE src.id IN (SELECT c.source_id FROM attribution_chain c
                         WHERE c.claim_id = cl.id)
    ) s ON true
    WHERE cl.id = ANY(claim_ids);
$$
"""


def upgrade() -> None:
    op.add_column("claim_search", sa.Column("statement_vector", postgresql.TSVECTOR()))
    op.add_column("claim_search", sa.Column("statement_folded", sa.Text()))
    op.add_column("claim_search", sa.Column("created_at", postgresql.TIMESTAMP(timezone=True)))
    op.create_table("search_word", sa.Column("word", sa.Text(), nullable=False))
    op.create_index("ix_search_word_word", "search_word", ["word"])
    trigram = (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
        .first()
    )
    if trigram is not None:
        op.execute(
            "CREATE INDEX ix_search_word_word_trgm ON search_word USING gin (word gin_trgm_ops)"
        )
    op.execute(REFRESH)
    op.execute("SELECT cg_refresh_claim_search(array(SELECT id FROM claim))")
    for column in ("statement_vector", "statement_folded", "created_at"):
        op.alter_column("claim_search", column, nullable=False)
    op.create_index(
        "ix_claim_search_newest",
        "claim_search",
        [sa.text("created_at DESC"), sa.text("claim_id DESC")],
    )
    op.create_index(
        "ix_claim_search_statement_vector",
        "claim_search",
        ["statement_vector"],
        postgresql_using="gin",
    )
    if trigram is not None:
        op.execute(
            "CREATE INDEX ix_claim_search_statement_folded_trgm ON claim_search"
            " USING gin (statement_folded gin_trgm_ops)"
        )
    op.execute(
        "INSERT INTO search_word (word) SELECT DISTINCT w FROM claim_search,"
        " regexp_split_to_table(folded, '[^[:alnum:]]+') AS w"
        " WHERE char_length(w) BETWEEN 4 AND 40"
    )


def downgrade() -> None:
    op.execute(OLD_REFRESH)
    op.execute("DROP INDEX IF EXISTS ix_claim_search_statement_folded_trgm")
    op.drop_index("ix_claim_search_statement_vector", table_name="claim_search")
    op.drop_index("ix_claim_search_newest", table_name="claim_search")
    for column in ("created_at", "statement_folded", "statement_vector"):
        op.drop_column("claim_search", column)
    op.execute("DROP INDEX IF EXISTS ix_search_word_word_trgm")
    op.drop_index("ix_search_word_word", table_name="search_word")
    op.drop_table("search_word")
