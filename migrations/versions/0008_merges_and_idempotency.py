"""merges and idempotency: one claim stated twice becomes one; retried writes write once

`claim.merged_into_id` marks a claim merged into another (its attributions moved
there): it stays stored, with its history, but counts and lists nowhere, and its id
resolves to the kept claim. Merges are flattened: a claim merged into one that is
later merged itself points at the final claim, so resolution is one hop.

Revisions get the MERGE operation. The trigger of 0007 learns to take the operation
from the transaction setting `claimgraph.operation` when the writer names one, since
a merge's writes (a pointer set, attributions moved, the kept claim's version bumped)
are, row by row, indistinguishable from ordinary updates.

`idempotency_key` remembers, per caller, the request an Idempotency-Key header or a
mutation's clientMutationId was first used with and what it answered; it is written in
the same transaction as the writes it guards, so a retry either finds both or neither.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATIONS_0007 = "operation IN ('CREATE', 'UPDATE', 'REVIEW', 'RETRACT')"
OPERATIONS = "operation IN ('CREATE', 'UPDATE', 'REVIEW', 'RETRACT', 'MERGE')"

RECORD_REVISION = """
CREATE OR REPLACE FUNCTION cg_record_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    after jsonb := to_jsonb(NEW);
    operation text := 'CREATE';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        operation := coalesce(nullif(current_setting('claimgraph.operation', true), ''), CASE
            WHEN after->>'review_status' = 'RETRACTED'
                 AND before->>'review_status' <> 'RETRACTED' THEN 'RETRACT'
            WHEN after->>'review_status' IS DISTINCT FROM before->>'review_status' THEN 'REVIEW'
            ELSE 'UPDATE' END);
    END IF;
    INSERT INTO revision (node_type, node_id, operation, actor, before, after)
    VALUES (TG_ARGV[0], NEW.id, operation,
            coalesce(nullif(current_setting('claimgraph.actor', true), ''), 'system'),
            before, after);
    RETURN NULL;
END $$
"""

RECORD_REVISION_0007 = RECORD_REVISION.replace(
    "coalesce(nullif(current_setting('claimgraph.operation', true), ''), CASE", "CASE"
).replace("ELSE 'UPDATE' END);", "ELSE 'UPDATE' END;")

# cg_refresh_claim_search of 0007, leaving merged claims out: their words must not
# find them any more (the kept claim carries the attributions and the quotes).
LIVE_CLAIMS = "WHERE cl.id = ANY(claim_ids) AND cl.merged_into_id IS NULL;"
ALL_CLAIMS = "WHERE cl.id = ANY(claim_ids);"


def _refresh_claim_search(old: str, new: str) -> None:
    """Rewrite one clause of the stored cg_refresh_claim_search (0007's), as stored."""
    definition = op.get_bind().scalar(
        sa.text("SELECT pg_get_functiondef('cg_refresh_claim_search(bigint[])'::regprocedure)")
    )
    assert definition is not None and old in definition, "unexpected cg_refresh_claim_search"
    op.get_bind().exec_driver_sql(definition.replace(old, new))


def upgrade() -> None:
    op.add_column("claim", sa.Column("merged_into_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(
        op.f("fk_claim_merged_into_id_claim"),
        "claim",
        "claim",
        ["merged_into_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_check_constraint(
        op.f("ck_claim_not_merged_into_itself"), "claim", "merged_into_id <> id"
    )
    # Flattening a merge finds the claims merged into the one being merged.
    op.create_index(
        "ix_claim_merged_into_id",
        "claim",
        ["merged_into_id"],
        postgresql_where=sa.text("merged_into_id IS NOT NULL"),
    )
    op.drop_constraint(op.f("ck_revision_operation"), "revision", type_="check")
    op.create_check_constraint(op.f("ck_revision_operation"), "revision", OPERATIONS)
    op.execute(RECORD_REVISION)
    _refresh_claim_search(ALL_CLAIMS, LIVE_CLAIMS)
    _create_idempotency_table()


def _create_idempotency_table() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.LargeBinary(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "char_length(key) BETWEEN 1 AND 300", name=op.f("ck_idempotency_key_key_length")
        ),
        sa.CheckConstraint(
            "octet_length(request_hash) = 32", name=op.f("ck_idempotency_key_request_hash_length")
        ),
        sa.PrimaryKeyConstraint("owner", "key", name=op.f("pk_idempotency_key")),
    )
    op.create_index("ix_idempotency_key_created_at", "idempotency_key", ["created_at"])


def downgrade() -> None:
    op.drop_table("idempotency_key")
    _refresh_claim_search(LIVE_CLAIMS, ALL_CLAIMS)
    op.execute(RECORD_REVISION_0007)
    # A merge is an update in the older vocabulary.
    op.drop_constraint(op.f("ck_revision_operation"), "revision", type_="check")
    op.execute("ALTER TABLE revision DISABLE TRIGGER trg_revision_append_only")
    op.execute("UPDATE revision SET operation = 'UPDATE' WHERE operation = 'MERGE'")
    op.execute("ALTER TABLE revision ENABLE TRIGGER trg_revision_append_only")
    op.create_check_constraint(op.f("ck_revision_operation"), "revision", OPERATIONS_0007)
    op.drop_index("ix_claim_merged_into_id", table_name="claim")
    op.drop_column("claim", "merged_into_id")
