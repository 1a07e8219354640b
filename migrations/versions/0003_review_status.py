"""review status: how each attribution was made, and whether an editor confirmed it

Machine-extracted attributions are suggestions until an editor confirms or
rejects them. Rejected ones count nowhere; comparisons may leave out unconfirmed
suggestions, so source_claim also keeps each source's stance over confirmed
attributions only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LATEST = "ORDER BY a.reported_at DESC NULLS FIRST, a.id DESC"

REFRESH_SOURCE_CLAIMS = f"""
CREATE OR REPLACE FUNCTION cg_refresh_source_claims(claim_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM source_claim WHERE claim_id = ANY(claim_ids);
    INSERT INTO source_claim (source_id, claim_id, stance, confirmed_stance,
                              latest_attribution_id, claim_created_at)
    SELECT c.source_id, c.claim_id,
           (array_agg(a.stance {LATEST}))[1],
           (array_agg(a.stance {LATEST}) FILTER (WHERE a.review_status = 'CONFIRMED'))[1],
           (array_agg(a.id {LATEST}))[1],
           min(cl.created_at)
    FROM attribution_chain c
    JOIN attribution a ON a.id = c.attribution_id
    JOIN claim cl ON cl.id = c.claim_id
    WHERE c.claim_id = ANY(claim_ids) AND a.review_status <> 'REJECTED'
    GROUP BY c.claim_id, c.source_id;
$$
"""

OLD_REFRESH_SOURCE_CLAIMS = """
CREATE OR REPLACE FUNCTION cg_refresh_source_claims(claim_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM source_claim WHERE claim_id = ANY(claim_ids);
    INSERT INTO source_claim (source_id, claim_id, stance, latest_attribution_id,
                              claim_created_at)
    SELECT DISTINCT ON (c.claim_id, c.source_id)
           c.source_id, c.claim_id, a.stance, a.id, cl.created_at
    FROM attribution_chain c
    JOIN attribution a ON a.id = c.attribution_id
    JOIN claim cl ON cl.id = c.claim_id
    WHERE c.claim_id = ANY(claim_ids)
    ORDER BY c.claim_id, c.source_id, a.reported_at DESC NULLS FIRST, a.id DESC;
$$
"""

# Rejected suggestions' quotes leave the searchable text.
REFRESH_CLAIM_SEARCH = """    CREATE OR REPLACE FUNCTION cg_refresh_claim_search(claim_ids bigint[]) RETURNS void
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

OLD_REFRESH_CLAIM_SEARCH = """    CREATE OR REPLACE FUNCTION cg_refresh_claim_search(claim_ids bigint[]) RETURNS void
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

# Two transactions adding reports to one claim would both rebuild its summary rows
# and collide on their keys: lock the claims first, in id order. NO KEY UPDATE, because
# inserting an attribution already holds KEY SHARE on its claim (the foreign key), which
# FOR UPDATE would wait on: two writers would deadlock.
REFRESH_CLAIMS = """
CREATE OR REPLACE FUNCTION cg_refresh_claims(claim_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(claim_ids) > 0 THEN
        PERFORM 1 FROM claim WHERE id = ANY(claim_ids) ORDER BY id FOR NO KEY UPDATE;
        PERFORM cg_refresh_source_claims(claim_ids);
        PERFORM cg_refresh_claim_search(claim_ids);
    END IF;
END $$
"""

OLD_REFRESH_CLAIMS = """
CREATE OR REPLACE FUNCTION cg_refresh_claims(claim_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(claim_ids) > 0 THEN
        PERFORM cg_refresh_source_claims(claim_ids);
        PERFORM cg_refresh_claim_search(claim_ids);
    END IF;
END $$
"""


def upgrade() -> None:
    op.add_column(
        "attribution",
        sa.Column("method", sa.Text(), server_default=sa.text("'CURATED'"), nullable=False),
    )
    op.add_column("attribution", sa.Column("extractor_version", sa.Text(), nullable=True))
    op.add_column(
        "attribution",
        sa.Column(
            "review_status", sa.Text(), server_default=sa.text("'CONFIRMED'"), nullable=False
        ),
    )
    op.add_column(
        "attribution",
        sa.Column("reviewed_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
    )
    op.create_check_constraint(
        op.f("ck_attribution_method"), "attribution", "method IN ('CURATED', 'EXTRACTED')"
    )
    op.create_check_constraint(
        op.f("ck_attribution_review_status"),
        "attribution",
        "review_status IN ('SUGGESTED', 'CONFIRMED', 'REJECTED')",
    )
    op.create_check_constraint(
        op.f("ck_attribution_extractor_version"),
        "attribution",
        "(method = 'EXTRACTED') = (extractor_version IS NOT NULL)",
    )
    op.create_index(
        "ix_attribution_suggested",
        "attribution",
        ["document_id"],
        postgresql_where=sa.text("review_status = 'SUGGESTED'"),
    )
    op.add_column("source_claim", sa.Column("confirmed_stance", sa.Text(), nullable=True))
    op.execute(REFRESH_SOURCE_CLAIMS)
    op.execute(REFRESH_CLAIM_SEARCH)
    op.execute(REFRESH_CLAIMS)
    op.execute("SELECT cg_refresh_source_claims(array(SELECT id FROM claim))")


def downgrade() -> None:
    op.execute(OLD_REFRESH_CLAIMS)
    op.execute(OLD_REFRESH_SOURCE_CLAIMS)
    op.execute(OLD_REFRESH_CLAIM_SEARCH)
    op.drop_column("source_claim", "confirmed_stance")
    op.drop_index("ix_attribution_suggested", table_name="attribution")
    op.drop_constraint(op.f("ck_attribution_extractor_version"), "attribution", type_="check")
    op.drop_constraint(op.f("ck_attribution_review_status"), "attribution", type_="check")
    op.drop_constraint(op.f("ck_attribution_method"), "attribution", type_="check")
    op.drop_column("attribution", "reviewed_at")
    op.drop_column("attribution", "review_status")
    op.drop_column("attribution", "extractor_version")
    op.drop_column("attribution", "method")
    op.execute("SELECT cg_refresh_source_claims(array(SELECT id FROM claim))")
