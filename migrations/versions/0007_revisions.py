"""revisions: every edit of a node is kept, versioned, and retractable

Sources, documents, claims and attributions get a `version` that every UPDATE
bumps (a BEFORE trigger, so no writer can forget it); edits name the version they
read and fail when it moved on (optimistic concurrency). An AFTER trigger appends
each INSERT and UPDATE, with the row before and after as jsonb, to `revision`,
which refuses UPDATE and DELETE: the history is append-only and is written in the
same transaction as the change, whoever writes. The actor is the API key name the
mutation set with `set_config('claimgraph.actor', …, true)`; writes from outside
the API (CLI loaders) are recorded as 'system'.

Attributions may be RETRACTED with a reason: like REJECTED ones, they stay stored
and visible by id, and count nowhere (source_claim and claim_search are rebuilt
without them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NODES = {"source": "Source", "document": "Document", "claim": "Claim", "attribution": "Attribution"}
OLD_IGNORED = "a.review_status <> 'REJECTED'"
IGNORED = "a.review_status NOT IN ('REJECTED', 'RETRACTED')"
LATEST = "ORDER BY a.reported_at DESC NULLS FIRST, a.id DESC"

# cg_refresh_source_claims of 0003 and cg_refresh_claim_search of 0005, with
# retracted attributions left out wherever rejected ones are.
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
    WHERE c.claim_id = ANY(claim_ids) AND {IGNORED}
    GROUP BY c.claim_id, c.source_id;
$$
"""

REFRESH_CLAIM_SEARCH = f"""
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
          AND {IGNORED}
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

# Every UPDATE of a node is a new version, whoever issues it.
BUMP_VERSION = """
CREATE FUNCTION cg_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$
"""

# One mechanism for every writer: the row before and after, the operation and the
# actor go to `revision` in the writer's own transaction. Fields are read through
# jsonb so that one function serves all four tables.
RECORD_REVISION = """
CREATE FUNCTION cg_record_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    after jsonb := to_jsonb(NEW);
    operation text := 'CREATE';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        operation := CASE
            WHEN after->>'review_status' = 'RETRACTED'
                 AND before->>'review_status' <> 'RETRACTED' THEN 'RETRACT'
            WHEN after->>'review_status' IS DISTINCT FROM before->>'review_status' THEN 'REVIEW'
            ELSE 'UPDATE' END;
    END IF;
    INSERT INTO revision (node_type, node_id, operation, actor, before, after)
    VALUES (TG_ARGV[0], NEW.id, operation,
            coalesce(nullif(current_setting('claimgraph.actor', true), ''), 'system'),
            before, after);
    RETURN NULL;
END $$
"""

APPEND_ONLY = """
CREATE FUNCTION cg_revision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'revision is append-only' USING ERRCODE = 'insufficient_privilege';
END $$
"""


def upgrade() -> None:
    for table in NODES:
        op.add_column(
            table,
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        )
    op.add_column("attribution", sa.Column("retraction_reason", sa.Text(), nullable=True))
    op.drop_constraint(op.f("ck_attribution_review_status"), "attribution", type_="check")
    op.create_check_constraint(
        op.f("ck_attribution_review_status"),
        "attribution",
        "review_status IN ('SUGGESTED', 'CONFIRMED', 'REJECTED', 'RETRACTED')",
    )
    op.create_check_constraint(
        op.f("ck_attribution_retraction_reason"),
        "attribution",
        "(review_status = 'RETRACTED') = (retraction_reason IS NOT NULL)",
    )
    _create_revision_table()
    for statement in (BUMP_VERSION, RECORD_REVISION, APPEND_ONLY):
        op.execute(statement)
    for table, node_type in NODES.items():
        op.execute(
            f"CREATE TRIGGER trg_{table}_version BEFORE UPDATE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION cg_bump_version()"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_revision AFTER INSERT OR UPDATE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION cg_record_revision('{node_type}')"
        )
    op.execute(
        "CREATE TRIGGER trg_revision_append_only BEFORE UPDATE OR DELETE ON revision"
        " FOR EACH ROW EXECUTE FUNCTION cg_revision_append_only()"
    )
    op.execute(REFRESH_SOURCE_CLAIMS)
    op.execute(REFRESH_CLAIM_SEARCH)


def _create_revision_table() -> None:
    op.create_table(
        "revision",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("node_type", sa.Text(), nullable=False),
        sa.Column("node_id", sa.BigInteger(), nullable=False),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column(
            "at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint(
            "operation IN ('CREATE', 'UPDATE', 'REVIEW', 'RETRACT')",
            name=op.f("ck_revision_operation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
    )
    op.create_index("ix_revision_node", "revision", ["node_type", "node_id", "id"])


def downgrade() -> None:
    op.execute(REFRESH_CLAIM_SEARCH.replace(IGNORED, OLD_IGNORED))
    op.execute(REFRESH_SOURCE_CLAIMS.replace(IGNORED, OLD_IGNORED))
    for table in NODES:
        op.execute(f"DROP TRIGGER trg_{table}_revision ON {table}")
        op.execute(f"DROP TRIGGER trg_{table}_version ON {table}")
    op.drop_table("revision")
    for function in ("cg_revision_append_only", "cg_record_revision", "cg_bump_version"):
        op.execute(f"DROP FUNCTION {function}()")
    op.drop_constraint(op.f("ck_attribution_retraction_reason"), "attribution", type_="check")
    # Retractions become rejections: the closest state the older schema knows.
    op.execute(
        "UPDATE attribution SET review_status = 'REJECTED' WHERE review_status = 'RETRACTED'"
    )
    op.drop_constraint(op.f("ck_attribution_review_status"), "attribution", type_="check")
    op.create_check_constraint(
        op.f("ck_attribution_review_status"),
        "attribution",
        "review_status IN ('SUGGESTED', 'CONFIRMED', 'REJECTED')",
    )
    op.drop_column("attribution", "retraction_reason")
    for table in NODES:
        op.drop_column(table, "version")
