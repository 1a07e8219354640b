"""purge stored key secrets: drop the replays of createApiKey that hold a new key

Until the Idempotency-Key gate refused them (its secret_answers.py, issue 12), a
createApiKey sent with the header had its answer stored to replay it, for a day:
`idempotency_key.response` is `{"content_type", "body", "headers"}` with the GraphQL
answer as JSON text in `body`, and that answer held the new key in clear. Such rows go.

A row goes when its body holds a createApiKey answer with a non-null `key`, or any JSON
string of a key's form (`cg_` and 43 URL-safe characters, api/auth/keys.py): aliases
rename both the field and the mutation, and the request that named them is stored only
as a hash. A body that is not JSON (a plain-text 400) is still searched for a key.
Rows a clientMutationId stored (`{"id": …}`) never held a body, and stay; so do failed
createApiKey answers (`key` null) and every other answer.

Losing a row costs little: a retry of that request within its day runs again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 00:48:27.582606
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A key as api/auth/keys.py makes it: "cg_" + secrets.token_urlsafe(32).
KEY_AS_JSON_STRING = '"cg_[A-Za-z0-9_-]{43}"'


def upgrade() -> None:
    # PostgreSQL 15 has no pg_input_is_valid: a function of this session parses or says NULL.
    op.execute(
        """
        CREATE FUNCTION pg_temp.cg_jsonb_or_null(body text) RETURNS jsonb
        LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            RETURN body::jsonb;
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"""
        DELETE FROM idempotency_key
        WHERE response ->> 'body' IS NOT NULL
          AND (
            jsonb_path_exists(
                pg_temp.cg_jsonb_or_null(response ->> 'body'),
                'lax $.**.createApiKey.key ? (@ != null)'
            )
            OR response ->> 'body' ~ '{KEY_AS_JSON_STRING}'
          )
        """
    )
    op.execute("DROP FUNCTION pg_temp.cg_jsonb_or_null(text)")


def downgrade() -> None:
    # Nothing to undo: secrets once purged must not come back.
    pass
