"""initial schema: sources, documents, claims, attributions and their chains

The quote trigger guards what a CHECK constraint cannot reach across tables:
every stored quote equals document.text[quote_start:quote_end], offsets in
Unicode code points (PostgreSQL's substr counts characters, as Python does).

Revision ID: 0001
Revises:
Create Date: 2026-11-27 13:43:59.190443
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUOTE_TRIGGERS = [
    """
CREATE FUNCTION attribution_quote_matches_text() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    doc_text text;
BEGIN
    IF NEW.quote_start IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT d.text INTO doc_text FROM document d WHERE d.id = NEW.document_id;
    IF doc_text IS NULL
       OR NEW.quote_end > char_length(doc_text)
       OR substr(doc_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
          IS DISTINCT FROM NEW.quote THEN
        RAISE EXCEPTION 'attribution quote must equal document.text[quote_start:quote_end]'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_attribution_quote_in_text';
    END IF;
    RETURN NEW;
END $$
""",
    """
CREATE TRIGGER trg_attribution_quote_in_text
    BEFORE INSERT OR UPDATE OF quote, quote_start, quote_end, document_id ON attribution
    FOR EACH ROW EXECUTE FUNCTION attribution_quote_matches_text()
""",
    """
CREATE FUNCTION document_text_keeps_quotes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM attribution a
        WHERE a.document_id = NEW.id AND a.quote_start IS NOT NULL
          AND (NEW.text IS NULL OR a.quote_end > char_length(NEW.text)
               OR substr(NEW.text, a.quote_start + 1, a.quote_end - a.quote_start)
                  IS DISTINCT FROM a.quote)
    ) THEN
        RAISE EXCEPTION 'document text change would break the quotes of its attributions'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_attribution_quote_in_text';
    END IF;
    RETURN NEW;
END $$
""",
    """
CREATE TRIGGER trg_document_text_keeps_quotes
    BEFORE UPDATE OF text ON document
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION document_text_keeps_quotes()
""",
]

DROP_QUOTE_TRIGGERS = [
    "DROP TRIGGER trg_document_text_keeps_quotes ON document",
    "DROP FUNCTION document_text_keeps_quotes()",
    "DROP TRIGGER trg_attribution_quote_in_text ON attribution",
    "DROP FUNCTION attribution_quote_matches_text()",
]


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "char_length(btrim(statement)) BETWEEN 1 AND 2000",
            name=op.f("ck_claim_statement_length"),
        ),
        sa.CheckConstraint(
            "char_length(language) BETWEEN 2 AND 35", name=op.f("ck_claim_language_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    op.create_index("ix_claim_created_at_id", "claim", ["created_at", "id"], unique=False)
    op.create_table(
        "source",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column(
            "aliases", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("affiliation_id", sa.BigInteger(), nullable=True),
        sa.Column("reliability", sa.Text(), nullable=True),
        sa.Column(
            "state_affiliated", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('NEWS_AGENCY', 'NEWS_OUTLET', 'GOVERNMENT', 'PERSON', 'THINK_TANK', 'INTELLIGENCE', 'ANONYMOUS', 'PHOTO_AGENCY', 'OTHER')",
            name=op.f("ck_source_kind"),
        ),
        sa.CheckConstraint(
            "reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f("ck_source_reliability")
        ),
        sa.CheckConstraint("affiliation_id <> id", name=op.f("ck_source_not_own_affiliation")),
        sa.CheckConstraint(
            "char_length(btrim(name)) BETWEEN 1 AND 500", name=op.f("ck_source_name_length")
        ),
        sa.ForeignKeyConstraint(
            ["affiliation_id"],
            ["source.id"],
            name=op.f("fk_source_affiliation_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
    )
    op.create_index("ix_source_affiliation_id", "source", ["affiliation_id"], unique=False)
    op.create_index("ix_source_created_at_id", "source", ["created_at", "id"], unique=False)
    op.create_table(
        "document",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("published_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("publisher_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_sha256", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "text_sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_document_text_hash_format")
        ),
        sa.CheckConstraint(
            "(text IS NULL) = (text_sha256 IS NULL)", name=op.f("ck_document_text_hash_present")
        ),
        sa.CheckConstraint(
            "char_length(btrim(title)) BETWEEN 1 AND 1000", name=op.f("ck_document_title_length")
        ),
        sa.CheckConstraint(
            "char_length(language) BETWEEN 2 AND 35", name=op.f("ck_document_language_length")
        ),
        sa.CheckConstraint("char_length(text) <= 2000000", name=op.f("ck_document_text_length")),
        sa.CheckConstraint(
            "char_length(url) BETWEEN 1 AND 2048", name=op.f("ck_document_url_length")
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["source.id"],
            name=op.f("fk_document_publisher_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("url", name=op.f("uq_document_url")),
    )
    op.create_index("ix_document_created_at_id", "document", ["created_at", "id"], unique=False)
    op.create_index("ix_document_publisher_id", "document", ["publisher_id"], unique=False)
    op.create_index("ix_document_text_sha256", "document", ["text_sha256"], unique=False)
    op.create_table(
        "attribution",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("claim_id", sa.BigInteger(), nullable=False),
        sa.Column("document_id", sa.BigInteger(), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("stance", sa.Text(), server_default=sa.text("'AFFIRMS'"), nullable=False),
        sa.Column("confidence", sa.Double(), server_default=sa.text("1.0"), nullable=False),
        sa.Column(
            "hedges", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("quote_start", sa.Integer(), nullable=True),
        sa.Column("quote_end", sa.Integer(), nullable=True),
        sa.Column("quantity_value", sa.Double(), nullable=True),
        sa.Column("quantity_unit", sa.Text(), nullable=True),
        sa.Column("quantity_bound", sa.Text(), nullable=True),
        sa.Column("reported_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "quantity_bound IN ('EXACT', 'APPROXIMATE', 'AT_MOST', 'AT_LEAST')",
            name=op.f("ck_attribution_quantity_bound"),
        ),
        sa.CheckConstraint(
            "quantity_value <> 'NaN'::float8 AND quantity_value > '-Infinity'::float8 AND quantity_value < 'Infinity'::float8",
            name=op.f("ck_attribution_quantity_finite"),
        ),
        sa.CheckConstraint("stance IN ('AFFIRMS', 'DENIES')", name=op.f("ck_attribution_stance")),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name=op.f("ck_attribution_confidence_range")
        ),
        sa.CheckConstraint(
            "num_nulls(quantity_value, quantity_bound) IN (0, 2) AND (quantity_unit IS NULL OR quantity_value IS NOT NULL)",
            name=op.f("ck_attribution_quantity_whole"),
        ),
        sa.CheckConstraint(
            "num_nulls(quote, quote_start, quote_end) IN (0, 3)",
            name=op.f("ck_attribution_quote_whole"),
        ),
        sa.CheckConstraint(
            "quote_start >= 0 AND quote_end >= quote_start",
            name=op.f("ck_attribution_quote_offsets"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_attribution_claim_id_claim"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_attribution_document_id_document"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_attribution_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribution")),
    )
    op.create_index(
        "ix_attribution_claim_order", "attribution", ["claim_id", "reported_at", "id"], unique=False
    )
    op.create_index(
        "ix_attribution_document_order",
        "attribution",
        ["document_id", "quote_start", "id"],
        unique=False,
    )
    op.create_index("ix_attribution_source_id", "attribution", ["source_id"], unique=False)
    op.create_table(
        "attribution_chain",
        sa.Column("attribution_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("source_id", sa.BigInteger(), nullable=False),
        sa.Column("claim_id", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "role IN ('PUBLISHER', 'SOURCE', 'VIA')", name=op.f("ck_attribution_chain_role")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_attribution_chain_position")),
        sa.ForeignKeyConstraint(
            ["attribution_id"],
            ["attribution.id"],
            name=op.f("fk_attribution_chain_attribution_id_attribution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_attribution_chain_claim_id_claim"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_attribution_chain_source_id_source"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("attribution_id", "position", name=op.f("pk_attribution_chain")),
    )
    op.create_index(
        "ix_attribution_chain_claim_id", "attribution_chain", ["claim_id"], unique=False
    )
    op.create_index(
        "ix_attribution_chain_source_attribution",
        "attribution_chain",
        ["source_id", "attribution_id"],
        unique=False,
    )
    op.create_index(
        "ix_attribution_chain_source_claim",
        "attribution_chain",
        ["source_id", "claim_id"],
        unique=False,
    )
    op.create_index(
        "uq_attribution_chain_cited_once",
        "attribution_chain",
        ["attribution_id", "source_id"],
        unique=True,
        postgresql_where=sa.text("role <> 'PUBLISHER'"),
    )
    for statement in QUOTE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_QUOTE_TRIGGERS:
        op.execute(statement)
    op.drop_index(
        "uq_attribution_chain_cited_once",
        table_name="attribution_chain",
        postgresql_where=sa.text("role <> 'PUBLISHER'"),
    )
    op.drop_index("ix_attribution_chain_source_claim", table_name="attribution_chain")
    op.drop_index("ix_attribution_chain_source_attribution", table_name="attribution_chain")
    op.drop_index("ix_attribution_chain_claim_id", table_name="attribution_chain")
    op.drop_table("attribution_chain")
    op.drop_index("ix_attribution_source_id", table_name="attribution")
    op.drop_index("ix_attribution_document_order", table_name="attribution")
    op.drop_index("ix_attribution_claim_order", table_name="attribution")
    op.drop_table("attribution")
    op.drop_index("ix_document_text_sha256", table_name="document")
    op.drop_index("ix_document_publisher_id", table_name="document")
    op.drop_index("ix_document_created_at_id", table_name="document")
    op.drop_table("document")
    op.drop_index("ix_source_created_at_id", table_name="source")
    op.drop_index("ix_source_affiliation_id", table_name="source")
    op.drop_table("source")
    op.drop_index("ix_claim_created_at_id", table_name="claim")
    op.drop_table("claim")
