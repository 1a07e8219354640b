"""faster summaries: the same claim_search rows for less work, for every writer

Measured (bench/import_speed.py, EXPLAIN ANALYZE of cg_refresh_claim_search over
2,000 generated claims): most of the SELECT's time went to `cg_fold` of each claim's
statement, quotes and source names joined into one text, and `translate` over its 59
accented letters costs per character of that text, accented or not.

- `cg_fold` skips `translate` for a text of ASCII only (all 59 letters it maps are
  non-ASCII, so it would change nothing): same value, about twice as fast on quotes.
- `cg_refresh_claim_search` folds the parts (statement, each quote, the names) and
  joins them with spaces, which gives the same text as folding the joined text (no
  pattern of `cg_fold` contains a space, and its other steps are per letter), while
  the ASCII quotes of a claim take the short way.
- The source names come from the claim's distinct chain sources joined to `source` by
  key, instead of `source` filtered by `IN (…)`, which the planner ran as a scan of
  every source for every claim.

About 12 % less time per refresh on generated data; the rows written are identical
(tests/interchange/test_jsonl_bulk.py compares them with what the row triggers wrote).
Rewritten in place from the stored definitions, like 0008 does; the downgrade undoes
each rewrite.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNACCENTED = "'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzs')"
# (function, [(clause of 0009, clause of 0010)])
REWRITES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "cg_fold(text)",
        [
            (
                "translate(lower(value),",
                "CASE WHEN octet_length(value) = char_length(value) THEN lower(value)\n"
                "            ELSE translate(lower(value),",
            ),
            (f"{UNACCENTED},", f"{UNACCENTED} END,"),
        ],
    ),
    (
        "cg_refresh_claim_search(bigint[])",
        [
            (
                "cg_fold(concat_ws(' ', cl.statement, q.quotes, s.names)),",
                "concat_ws(' ', cg_fold(cl.statement), q.folded, cg_fold(s.names)),",
            ),
            (
                "string_agg(a.quote, ' ' ORDER BY a.id) AS quotes",
                "string_agg(cg_fold(a.quote), ' ' ORDER BY a.id) AS folded",
            ),
            (
                "        FROM source src\n"
                "        WHERE src.id IN (SELECT c.source_id FROM attribution_chain c\n"
                "                         WHERE c.claim_id = cl.id)",
                "        FROM (SELECT DISTINCT c.source_id FROM attribution_chain c\n"
                "              WHERE c.claim_id = cl.id) c\n"
                "        JOIN source src ON src.id = c.source_id",
            ),
        ],
    ),
]


def _rewrite(function: str, clauses: list[tuple[str, str]]) -> None:
    """Replace each clause of the stored definition of `function`, as stored."""
    definition = op.get_bind().scalar(
        sa.text(f"SELECT pg_get_functiondef('{function}'::regprocedure)")
    )
    assert definition is not None, function
    for old, new in clauses:
        assert definition.count(old) == 1, f"unexpected {function}: {old!r}"
        definition = definition.replace(old, new)
    op.get_bind().exec_driver_sql(definition)


def upgrade() -> None:
    for function, clauses in REWRITES:
        _rewrite(function, clauses)


def downgrade() -> None:
    for function, clauses in reversed(REWRITES):
        _rewrite(function, [(new, old) for old, new in reversed(clauses)])
