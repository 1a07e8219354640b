"""changes: a transactional outbox of what writes did, numbered in commit order

`change` gets its rows in the writing transaction, whoever writes (the app, the command
line, an import, SQL by hand), from statement-level triggers over the transition tables
(one INSERT … SELECT per statement, so a COPY of a million attributions costs one
statement, not a million trigger calls):

- attribution INSERT: ATTRIBUTION_ADDED (one per claim instead of one per row when the
  transaction says `claimgraph.change_grain = claim`: bulk imports, restores, generate);
- attribution UPDATE: ATTRIBUTION_RETRACTED when review_status becomes RETRACTED,
  ATTRIBUTION_REVIEWED when it becomes CONFIRMED or REJECTED, else ATTRIBUTION_UPDATED
  when a column a reader sees changed (not version, reviewed_at nor created_at alone);
  a merge's moved attributions are ATTRIBUTION_UPDATED on the kept claim;
- attribution DELETE of a row not retracted already: ATTRIBUTION_RETRACTED (a hard
  retraction retracts first, so it is announced once);
- claim UPDATE: CLAIM_MERGED when merged_into_id becomes set, else CLAIM_UPDATED when
  statement or language changed;
- source UPDATE: SOURCE_UPDATED when a column a reader sees changed.

A DEFERRABLE INITIALLY DEFERRED constraint trigger on `change` numbers the transaction's
rows at commit: it takes a transaction advisory lock (released only after the commit is
visible), so `position` follows commit order and a reader of `position > cursor` never
misses a row; it sets `at`, fills `source_ids` from the attribution's chain (which the
writer inserts after the attribution), and sends one NOTIFY per change on
`claimgraph_changes` carrying the position. The first firing numbers every pending row
of the transaction; the others see that and return at once.

CLAIM_CONTESTED needs the contested rule, which lives in one place,
api/provenance/claim_comparison.py; the app records it before commit
(api/live/recording.py) and remembers each claim's last state in `claim_contested`.
This migration fills that memo for the claims contested now, so upgrading announces
none of them. It imports COMPARISON_SQL: the trade-off is that re-running this
migration later runs the rule of that later day, which is what the memo should hold
anyway (it only spares announcements). Claims with fewer than two attributions cannot
be contested (contested compares reports), so only the others are compared, in batches.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP

from api.provenance.claim_comparison import COMPARISON_SQL

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "ATTRIBUTION_ADDED",
    "ATTRIBUTION_UPDATED",
    "ATTRIBUTION_REVIEWED",
    "ATTRIBUTION_RETRACTED",
    "CLAIM_UPDATED",
    "CLAIM_MERGED",
    "CLAIM_CONTESTED",
    "SOURCE_UPDATED",
)
# pg_advisory_xact_lock's key for numbering changes: "claimg" in ASCII.
LOCK_KEY = 0x636C61696D67
BACKFILL_BATCH = 5_000

# Columns a reader of an attribution, claim or source sees (not version, created_at,
# reviewed_at: bookkeeping that changes with the others or alone means nothing new).
ATTRIBUTION_SEEN = (
    "claim_id, document_id, source_id, stance, confidence, hedges, quote, quote_start,"
    " quote_end, quantity_value, quantity_unit, quantity_bound, reported_at, method,"
    " extractor_version, review_status, retraction_reason"
)
SOURCE_SEEN = "name, kind, aliases, affiliation_id, reliability, state_affiliated"


def _row(alias: str, columns: str) -> str:
    return "(" + ", ".join(f"{alias}.{c.strip()}" for c in columns.split(",")) + ")"


CHAIN_SOURCES = (
    "(SELECT array_agg(DISTINCT l.source_id ORDER BY l.source_id)"
    " FROM attribution_chain l WHERE l.attribution_id = {id})"
)

FUNCTIONS = [
    """
    CREATE FUNCTION cg_change_attribution_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('claimgraph.change_grain', true) = 'claim' THEN
            INSERT INTO change (kind, claim_id, source_ids)
            SELECT 'ATTRIBUTION_ADDED', claim_id,
                   array_agg(DISTINCT source_id ORDER BY source_id)
            FROM new_rows GROUP BY claim_id ORDER BY claim_id;
            -- A bulk load decides no CLAIM_CONTESTED: whether its claims are contested
            -- is unknown (NULL) until a write through the app records it, so that write
            -- does not announce a claim the load had already made contested.
            INSERT INTO claim_contested (claim_id, contested)
            SELECT DISTINCT claim_id, CAST(NULL AS boolean) FROM new_rows ORDER BY claim_id
            ON CONFLICT (claim_id) DO UPDATE SET contested = NULL;
        ELSE
            INSERT INTO change (kind, claim_id, attribution_id, source_id)
            SELECT 'ATTRIBUTION_ADDED', claim_id, id, source_id FROM new_rows ORDER BY id;
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION cg_change_attribution_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change (kind, claim_id, attribution_id, source_id, source_ids)
        SELECT k.kind, n.claim_id, n.id, n.source_id,
               coalesce({CHAIN_SOURCES.format(id="n.id")}, ARRAY[n.source_id])
        FROM old_rows o
        JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL (SELECT CASE
            WHEN n.review_status IS DISTINCT FROM o.review_status
                 AND n.review_status = 'RETRACTED' THEN 'ATTRIBUTION_RETRACTED'
            WHEN n.review_status IS DISTINCT FROM o.review_status
                 AND n.review_status IN ('CONFIRMED', 'REJECTED') THEN 'ATTRIBUTION_REVIEWED'
            WHEN {_row("o", ATTRIBUTION_SEEN)} IS DISTINCT FROM {_row("n", ATTRIBUTION_SEEN)}
                THEN 'ATTRIBUTION_UPDATED'
        END AS kind) k
        WHERE k.kind IS NOT NULL
        ORDER BY n.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION cg_change_attribution_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change (kind, claim_id, attribution_id, source_id, source_ids)
        SELECT 'ATTRIBUTION_RETRACTED', claim_id, id, source_id, ARRAY[source_id]
        FROM old_rows WHERE review_status <> 'RETRACTED' ORDER BY id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION cg_change_claim_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change (kind, claim_id)
        SELECT k.kind, n.id
        FROM old_rows o
        JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL (SELECT CASE
            WHEN o.merged_into_id IS NULL AND n.merged_into_id IS NOT NULL THEN 'CLAIM_MERGED'
            WHEN (o.statement, o.language) IS DISTINCT FROM (n.statement, n.language)
                THEN 'CLAIM_UPDATED'
        END AS kind) k
        WHERE k.kind IS NOT NULL
        ORDER BY n.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION cg_change_source_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO change (kind, source_id, source_ids)
        SELECT 'SOURCE_UPDATED', n.id, ARRAY[n.id]
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE {_row("o", SOURCE_SEEN)} IS DISTINCT FROM {_row("n", SOURCE_SEEN)}
        ORDER BY n.id;
        RETURN NULL;
    END $$
    """,
    # At commit. `claimgraph.change_stamped` holds the highest id this transaction has
    # numbered: identity values only grow, so a later row of ours has a higher id.
    f"""
    CREATE FUNCTION cg_change_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        stamped bigint := coalesce(
            nullif(current_setting('claimgraph.change_stamped', true), ''), '0')::bigint;
        pending bigint;
        newest bigint;
        first bigint;
        committed timestamptz;
    BEGIN
        IF NEW.id <= stamped THEN
            RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock({LOCK_KEY});
        -- Rows without a position are this transaction's: others' are invisible until
        -- they commit, numbered.
        SELECT count(*), max(id) INTO pending, newest FROM change WHERE position IS NULL;
        IF pending > 0 THEN
            first := nextval('change_position_seq');
            IF pending > 1 THEN
                PERFORM setval('change_position_seq', first + pending - 1);
            END IF;
            committed := clock_timestamp();
            UPDATE change c
            SET position = p.position, at = committed,
                source_ids = coalesce({CHAIN_SOURCES.format(id="c.attribution_id")},
                                      nullif(c.source_ids, '{{}}'),
                                      CASE WHEN c.source_id IS NULL THEN '{{}}'::bigint[]
                                           ELSE ARRAY[c.source_id] END)
            FROM (SELECT id, first + row_number() OVER (ORDER BY id) - 1 AS position
                  FROM change WHERE position IS NULL) p
            WHERE c.id = p.id;
            PERFORM pg_notify('claimgraph_changes', n::text)
            FROM generate_series(first, first + pending - 1) n;
        END IF;
        PERFORM set_config('claimgraph.change_stamped', greatest(newest, NEW.id)::text, true);
        RETURN NULL;
    END $$
    """,
]

NEW_ROWS = "REFERENCING NEW TABLE AS new_rows"
OLD_ROWS = "REFERENCING OLD TABLE AS old_rows"
BOTH = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
# (trigger, event, table, transition tables, function)
TRIGGERS = [
    ("trg_attribution_change_added", "INSERT", "attribution", NEW_ROWS,
     "cg_change_attribution_added"),
    ("trg_attribution_change_updated", "UPDATE", "attribution", BOTH,
     "cg_change_attribution_updated"),
    ("trg_attribution_change_deleted", "DELETE", "attribution", OLD_ROWS,
     "cg_change_attribution_deleted"),
    ("trg_claim_change_updated", "UPDATE", "claim", BOTH, "cg_change_claim_updated"),
    ("trg_source_change_updated", "UPDATE", "source", BOTH, "cg_change_source_updated"),
]  # fmt: skip


def upgrade() -> None:
    op.execute("CREATE SEQUENCE change_position_seq AS bigint")
    op.create_table(
        "change",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("at", TIMESTAMP(timezone=True), nullable=True),
        sa.Column("claim_id", sa.BigInteger(), nullable=True),
        sa.Column("attribution_id", sa.BigInteger(), nullable=True),
        sa.Column("source_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_ids", ARRAY(sa.BigInteger()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")",
            name=op.f("ck_change_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
        sa.UniqueConstraint("position", name=op.f("uq_change_position")),
    )
    # TRUNCATE … RESTART IDENTITY on `change` restarts the positions too.
    op.execute("ALTER SEQUENCE change_position_seq OWNED BY change.position")
    op.create_table(
        "claim_contested",
        sa.Column("claim_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("contested", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_contested")),
    )
    for statement in FUNCTIONS:
        op.execute(statement)
    for name, event, table, transitions, function in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {transitions}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    op.execute(
        "CREATE CONSTRAINT TRIGGER trg_change_commit AFTER INSERT ON change"
        " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cg_change_commit()"
    )
    _remember_contested_claims()


def _remember_contested_claims() -> None:
    """The memo of the claims contested now, so that upgrading announces none of them."""
    bind = op.get_bind()
    after = 0
    while True:
        ids = list(
            bind.execute(
                sa.text(
                    "SELECT claim_id FROM attribution WHERE claim_id > :after"
                    " GROUP BY claim_id HAVING count(*) > 1 ORDER BY claim_id LIMIT :n"
                ),
                {"after": after, "n": BACKFILL_BATCH},
            ).scalars()
        )
        if not ids:
            return
        bind.execute(
            sa.text(
                f"INSERT INTO claim_contested (claim_id, contested)"
                f" SELECT claim_id, true FROM ({COMPARISON_SQL}) compared WHERE contested"
            ),
            {"ids": ids, "include_suggested": True},
        )
        after = ids[-1]


def downgrade() -> None:
    for name, _, table, _, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.drop_table("claim_contested")
    op.drop_table("change")
    for statement in FUNCTIONS:
        name = statement.split("FUNCTION ", 1)[1].split("(", 1)[0]
        op.execute(f"DROP FUNCTION {name}()")
