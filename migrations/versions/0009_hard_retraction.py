"""hard retraction: an admin may remove an attribution; its history stays

Until now no row of the four node tables was ever deleted. An admin's hard retraction
(retractAttribution with hard: true) deletes the attribution and its chain links; a
DELETE trigger appends the row as it was to `revision` (operation HARD_RETRACT when
the writer names it, DELETE for any other deletion, e.g. from a SQL console), so the
history of a removed node is still complete.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NODES = {"source": "Source", "document": "Document", "claim": "Claim", "attribution": "Attribution"}
OPERATIONS_0008 = "operation IN ('CREATE', 'UPDATE', 'REVIEW', 'RETRACT', 'MERGE')"
OPERATIONS = (
    "operation IN ('CREATE', 'UPDATE', 'REVIEW', 'RETRACT', 'MERGE', 'HARD_RETRACT', 'DELETE')"
)

RECORD_DELETION = """
CREATE FUNCTION cg_record_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO revision (node_type, node_id, operation, actor, before, after)
    VALUES (TG_ARGV[0], OLD.id,
            coalesce(nullif(current_setting('claimgraph.operation', true), ''), 'DELETE'),
            coalesce(nullif(current_setting('claimgraph.actor', true), ''), 'system'),
            to_jsonb(OLD), NULL);
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.drop_constraint(op.f("ck_revision_operation"), "revision", type_="check")
    op.create_check_constraint(op.f("ck_revision_operation"), "revision", OPERATIONS)
    op.execute(RECORD_DELETION)
    for table, node_type in NODES.items():
        op.execute(
            f"CREATE TRIGGER trg_{table}_deletion AFTER DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION cg_record_deletion('{node_type}')"
        )


def downgrade() -> None:
    for table in NODES:
        op.execute(f"DROP TRIGGER trg_{table}_deletion ON {table}")
    op.execute("DROP FUNCTION cg_record_deletion()")
    op.drop_constraint(op.f("ck_revision_operation"), "revision", type_="check")
    # Deletions stay in the log, as the closest older operation: a retraction.
    op.execute("ALTER TABLE revision DISABLE TRIGGER trg_revision_append_only")
    op.execute(
        "UPDATE revision SET operation = 'RETRACT', after = before"
        " WHERE operation IN ('HARD_RETRACT', 'DELETE')"
    )
    op.execute("ALTER TABLE revision ENABLE TRIGGER trg_revision_append_only")
    op.create_check_constraint(op.f("ck_revision_operation"), "revision", OPERATIONS_0008)
