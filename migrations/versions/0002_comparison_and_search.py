"""comparison and search: source_claim, claim_search, search columns, refresh triggers

`source_claim` keeps, for every source standing in a claim's attribution chains,
the stance of its latest such attribution: compareSources becomes a join of two
index ranges. `claim_search` keeps each claim's searchable text. Statement-level
triggers with transition tables refresh both for exactly the claims a statement
touched, so bulk loads (COPY, multi-row INSERT) stay set-based.

pg_trgm is optional: the embedded PostgreSQL may not ship it. Without it the
trigram indexes are skipped and search falls back to substring matching.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = [
    # Which text-search configuration stems a language; unknown languages get 'simple'.
    """
    CREATE FUNCTION cg_ts_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE lower(split_part(language, '-', 1))
            WHEN 'de' THEN 'german' WHEN 'en' THEN 'english' WHEN 'fr' THEN 'french'
            WHEN 'es' THEN 'spanish' WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese'
            WHEN 'nl' THEN 'dutch' WHEN 'ru' THEN 'russian' WHEN 'sv' THEN 'swedish'
            WHEN 'da' THEN 'danish' WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian'
            WHEN 'fi' THEN 'finnish' WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian'
            WHEN 'tr' THEN 'turkish'
            ELSE 'simple' END::regconfig
    $$
    """,
    # Folds case, accents and the German/English transliterations of names
    # (Wostotschny/Vostochny, Pjöngjang/Pyongyang, Lawrow/Lavrov) to one spelling.
    """
    CREATE FUNCTION cg_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT replace(replace(replace(replace(replace(replace(
            translate(lower(value),
                'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿžźżß',
                'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzs'),
            'tsch', 'ch'), 'sch', 'sh'), 'w', 'v'), 'j', 'y'), 'ss', 's'), 'ie', 'i')
    $$
    """,
    # array_to_string is only STABLE in general; for text[] it is immutable.
    """
    CREATE FUNCTION cg_join(value text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(value, ' ') $$
    """,
    "CREATE AGGREGATE cg_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector,"
    " INITCOND = '')",
    """
    CREATE FUNCTION cg_refresh_source_claims(claim_ids bigint[]) RETURNS void
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
    """,
    """
    CREATE FUNCTION cg_refresh_claim_search(claim_ids bigint[]) RETURNS void
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
    """,
    """
    CREATE FUNCTION cg_refresh_claims(claim_ids bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        IF cardinality(claim_ids) > 0 THEN
            PERFORM cg_refresh_source_claims(claim_ids);
            PERFORM cg_refresh_claim_search(claim_ids);
        END IF;
    END $$
    """,
]

TRIGGER_FUNCTIONS = {
    # (function name, body computing `ids` from the transition tables)
    "cg_chain_inserted": "SELECT array_agg(DISTINCT claim_id) FROM new_rows",
    "cg_chain_deleted": "SELECT array_agg(DISTINCT claim_id) FROM old_rows",
    "cg_attribution_updated": (
        "SELECT array_agg(DISTINCT claim_id) FROM"
        " (SELECT claim_id FROM old_rows UNION SELECT claim_id FROM new_rows) t"
    ),
    "cg_claim_inserted": "SELECT array_agg(id) FROM new_rows",
    "cg_claim_updated": "SELECT array_agg(id) FROM new_rows",
    "cg_source_updated": (
        "SELECT array_agg(DISTINCT c.claim_id) FROM attribution_chain c"
        " WHERE c.source_id IN (SELECT id FROM new_rows)"
    ),
    "cg_document_updated": (
        "SELECT array_agg(DISTINCT a.claim_id) FROM attribution a"
        " WHERE a.document_id IN (SELECT id FROM new_rows)"
    ),
}

NEW_ROWS = "REFERENCING NEW TABLE AS new_rows"
OLD_ROWS = "REFERENCING OLD TABLE AS old_rows"
# (trigger function, event, table, transition tables)
TRIGGERS = [
    ("cg_chain_inserted", "INSERT", "attribution_chain", NEW_ROWS),
    ("cg_chain_deleted", "DELETE", "attribution_chain", OLD_ROWS),
    (
        "cg_attribution_updated",
        "UPDATE",
        "attribution",
        f"{OLD_ROWS} {NEW_ROWS.removeprefix('REFERENCING ')}",
    ),
    ("cg_claim_inserted", "INSERT", "claim", NEW_ROWS),
    ("cg_claim_updated", "UPDATE", "claim", NEW_ROWS),
    ("cg_source_updated", "UPDATE", "source", NEW_ROWS),
    ("cg_document_updated", "UPDATE", "document", NEW_ROWS),
]


def _trigger_function(name: str, ids_query: str) -> str:
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        ids bigint[];
    BEGIN
        {ids_query} INTO ids;
        PERFORM cg_refresh_claims(coalesce(ids, '{{}}'));
        RETURN NULL;
    END $$
    """


def _has_trgm() -> bool:
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if available is None:
        print("pg_trgm is not available: fuzzy search falls back to substring matching")
        return False
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return True


def upgrade() -> None:
    op.create_table(
        "source_claim",
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("claim_id", sa.BigInteger(), nullable=False),
        sa.Column("stance", sa.Text(), nullable=False),
        sa.Column("latest_attribution_id", sa.BigInteger(), nullable=False),
        sa.Column("claim_created_at", postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_source_claim_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["latest_attribution_id"],
            ["attribution.id"],
            name=op.f("fk_source_claim_latest_attribution_id_attribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_source_claim_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "claim_id", name=op.f("pk_source_claim")),
    )
    op.create_index("ix_source_claim_claim_id", "source_claim", ["claim_id"])
    op.create_index(
        "ix_source_claim_newest",
        "source_claim",
        ["source_id", sa.text("claim_created_at DESC"), sa.text("claim_id DESC")],
    )
    op.create_table(
        "claim_search",
        sa.Column("claim_id", sa.BigInteger(), nullable=False),
        sa.Column("vector", postgresql.TSVECTOR(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_claim_search_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_search")),
    )
    op.create_index("ix_claim_search_vector", "claim_search", ["vector"], postgresql_using="gin")
    for statement in FUNCTIONS:
        op.execute(statement)
    for name, ids_query in TRIGGER_FUNCTIONS.items():
        op.execute(_trigger_function(name, ids_query))
    for name, event, table, transitions in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER trg_{name} AFTER {event} ON {table} {transitions}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    _search_columns()
    if _has_trgm():
        _trigram_indexes()
    op.execute("SELECT cg_refresh_claims(array(SELECT id FROM claim))")


def _search_columns() -> None:
    op.add_column(
        "source",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple', name || ' ' || cg_join(aliases))", persisted=True),
            nullable=False,
        ),
    )
    op.add_column(
        "source",
        sa.Column(
            "search_folded",
            sa.Text(),
            sa.Computed("cg_fold(name || ' ' || cg_join(aliases))", persisted=True),
            nullable=False,
        ),
    )
    op.add_column(
        "document",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector(cg_ts_config(language), title), 'A')"
                " || setweight(to_tsvector(cg_ts_config(language),"
                " left(coalesce(text, ''), 100000)), 'B')",
                persisted=True,
            ),
            nullable=False,
        ),
    )
    op.add_column(
        "document",
        sa.Column(
            "search_folded",
            sa.Text(),
            sa.Computed("cg_fold(title || ' ' || coalesce(url, ''))", persisted=True),
            nullable=False,
        ),
    )
    op.create_index("ix_source_search_vector", "source", ["search_vector"], postgresql_using="gin")
    op.create_index(
        "ix_document_search_vector", "document", ["search_vector"], postgresql_using="gin"
    )


def _trigram_indexes() -> None:
    for table, column in [
        ("claim_search", "folded"),
        ("source", "search_folded"),
        ("document", "search_folded"),
    ]:
        op.execute(
            f"CREATE INDEX ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        )


def downgrade() -> None:
    for table, column in [
        ("claim_search", "folded"),
        ("source", "search_folded"),
        ("document", "search_folded"),
    ]:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
    op.drop_index("ix_document_search_vector", table_name="document")
    op.drop_index("ix_source_search_vector", table_name="source")
    op.drop_column("document", "search_folded")
    op.drop_column("document", "search_vector")
    op.drop_column("source", "search_folded")
    op.drop_column("source", "search_vector")
    for name, _, table, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER trg_{name} ON {table}")
    for name in TRIGGER_FUNCTIONS:
        op.execute(f"DROP FUNCTION {name}()")
    for signature in [
        "cg_refresh_claims(bigint[])",
        "cg_refresh_claim_search(bigint[])",
        "cg_refresh_source_claims(bigint[])",
    ]:
        op.execute(f"DROP FUNCTION {signature}")
    op.execute("DROP AGGREGATE cg_tsvector_agg(tsvector)")
    for signature in ["cg_join(text[])", "cg_fold(text)", "cg_ts_config(text)"]:
        op.execute(f"DROP FUNCTION {signature}")
    op.drop_table("claim_search")
    op.drop_index("ix_source_claim_newest", table_name="source_claim")
    op.drop_index("ix_source_claim_claim_id", table_name="source_claim")
    op.drop_table("source_claim")
