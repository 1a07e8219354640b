"""How the sources of a claim agree: counts, independence, quantities, consensus.

One SQL statement computes every claim of a batch (a page of 50 claims costs one
query). The semantics, in the words of the API:

- chain: publisher (when it is not the source), source, via; origin: the last of it.
- independence: an origin counts at its top-most affiliation (Jack Watling -> RUSI);
  an ANONYMOUS origin without affiliation counts once per citing source (the chain
  element before it, at its top-most affiliation).
- a source's stance on a claim is that of its latest attribution of it (latest
  reportedAt, undated after dated, then latest stored).
- quantities stand for ranges (EXACT v: [v, v]; APPROXIMATE: [0.9v, 1.1v]; AT_MOST:
  (-inf, v]; AT_LEAST: [v, inf)); only affirming reports' quantities count; they are
  compared within one unit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text

from api.provenance import consensus
from api.repository import Executor

_WEIGHTS = ", ".join(
    f"('{grade}', {value})" for grade, value in consensus.RELIABILITY_WEIGHTS.items()
)

COMPARISON_SQL = f"""
WITH RECURSIVE
ordered AS (
    SELECT a.id, a.claim_id, a.source_id, a.stance, a.confidence,
           a.quantity_value AS qv, a.quantity_unit AS qu, a.quantity_bound AS qb,
           row_number() OVER (PARTITION BY a.claim_id
                              ORDER BY a.reported_at ASC NULLS LAST, a.id ASC) AS seq
    FROM attribution a
    WHERE a.claim_id = ANY(CAST(:ids AS bigint[]))
      AND a.review_status NOT IN ('REJECTED', 'RETRACTED')
      AND (CAST(:include_suggested AS boolean) OR a.review_status = 'CONFIRMED')
),
latest AS (
    SELECT DISTINCT ON (claim_id, source_id) claim_id, source_id, stance
    FROM ordered ORDER BY claim_id, source_id, seq DESC
),
ends AS (
    SELECT c.attribution_id,
           (array_agg(c.source_id ORDER BY c.position DESC))[1] AS origin_id,
           (array_agg(c.source_id ORDER BY c.position DESC))[2] AS citing_id
    FROM attribution_chain c
    WHERE c.attribution_id IN (SELECT id FROM ordered)
    GROUP BY c.attribution_id
),
walk (start_id, id, depth) AS (
    SELECT s.id, s.id, 0 FROM source s
    WHERE s.id IN (SELECT origin_id FROM ends UNION SELECT citing_id FROM ends)
    UNION ALL
    SELECT w.start_id, s.affiliation_id, w.depth + 1
    FROM walk w JOIN source s ON s.id = w.id
    WHERE s.affiliation_id IS NOT NULL AND w.depth < 32
),
top AS (
    SELECT DISTINCT ON (start_id) start_id, id AS top_id
    FROM walk ORDER BY start_id, depth DESC
),
origin AS (
    SELECT e.attribution_id, e.origin_id, t.top_id,
           (o.kind = 'ANONYMOUS' AND o.affiliation_id IS NULL AND e.citing_id IS NOT NULL)
               AS anonymous,
           tc.top_id AS citing_top_id
    FROM ends e
    JOIN source o ON o.id = e.origin_id
    JOIN top t ON t.start_id = e.origin_id
    LEFT JOIN top tc ON tc.start_id = e.citing_id
),
weighed AS (
    SELECT r.*,
           CASE WHEN g.anonymous THEN 'anonymous:' || g.citing_top_id
                ELSE 'source:' || g.top_id END AS origin_key,
           g.origin_id, g.top_id, g.anonymous, g.citing_top_id,
           s.reliability,
           coalesce(w.weight, {consensus.UNRATED_WEIGHT})
               * greatest(r.confidence, {consensus.MIN_CONFIDENCE}) AS strength,
           (l.stance = r.stance) AS counted
    FROM ordered r
    JOIN origin g ON g.attribution_id = r.id
    JOIN source s ON s.id = r.source_id
    LEFT JOIN (VALUES {_WEIGHTS}) AS w (grade, weight) ON w.grade = s.reliability
    JOIN latest l ON l.claim_id = r.claim_id AND l.source_id = r.source_id
),
factors AS (
    SELECT *,
           CASE WHEN row_number() OVER (PARTITION BY claim_id, stance, origin_key
                                        ORDER BY strength DESC, id) = 1
                THEN 1 - strength
                ELSE 1 - {consensus.REPEAT_WEIGHT} * strength END AS factor
    FROM weighed WHERE counted
),
groups AS (
    SELECT f.claim_id, f.stance, f.origin_key, count(*) AS reports,
           1 - exp(sum(ln(f.factor))) AS support,
           (array_agg(f.id ORDER BY f.strength DESC, f.id))[1] AS strongest_id,
           min(f.seq) AS first_seq
    FROM factors f GROUP BY f.claim_id, f.stance, f.origin_key
),
explained AS (
    SELECT g.claim_id,
           json_agg(json_build_object(
               'stance', g.stance, 'reports', g.reports, 'support', g.support,
               'origin', CASE WHEN f.anonymous THEN o.name || ' cited by ' || ct.name
                              WHEN f.top_id <> f.origin_id THEN t.name || ' (' || o.name || ')'
                              ELSE t.name END,
               'source', s.name, 'reliability', f.reliability,
               'confidence', f.confidence, 'strength', f.strength
           ) ORDER BY g.stance, g.support DESC, g.first_seq) AS groups
    FROM groups g
    JOIN factors f ON f.id = g.strongest_id
    JOIN source s ON s.id = f.source_id
    JOIN source o ON o.id = f.origin_id
    JOIN source t ON t.id = f.top_id
    LEFT JOIN source ct ON ct.id = f.citing_top_id
    GROUP BY g.claim_id
),
superseded AS (
    SELECT x.claim_id,
           json_agg(json_build_object('source', s.name, 'reports', x.reports,
                                      'stance', x.stance) ORDER BY s.name) AS items
    FROM (SELECT claim_id, source_id, count(*) AS reports,
                 min(l.stance) AS stance
          FROM weighed w2 JOIN latest l USING (claim_id, source_id)
          WHERE NOT w2.counted GROUP BY claim_id, source_id) x
    JOIN source s ON s.id = x.source_id
    GROUP BY x.claim_id
),
support AS (
    SELECT claim_id,
           1 - exp(coalesce(sum(ln(factor)) FILTER (WHERE stance = 'AFFIRMS'), 0)) AS affirm,
           1 - exp(coalesce(sum(ln(factor)) FILTER (WHERE stance = 'DENIES'), 0)) AS deny
    FROM factors GROUP BY claim_id
),
ranges AS (
    -- numeric, not float: 0.9 * 13 must be 11.7 exactly, or "about 13" and
    -- "exactly 11.7" would look incompatible. Units compare ignoring case and spaces.
    SELECT claim_id, lower(btrim(qu)) AS unit, qv, seq,
           CASE qb WHEN 'EXACT' THEN qv::numeric
                   WHEN 'APPROXIMATE' THEN least(0.9 * qv::numeric, 1.1 * qv::numeric)
                   WHEN 'AT_MOST' THEN '-Infinity'::numeric ELSE qv::numeric END AS lo,
           CASE qb WHEN 'EXACT' THEN qv::numeric
                   WHEN 'APPROXIMATE' THEN greatest(0.9 * qv::numeric, 1.1 * qv::numeric)
                   WHEN 'AT_MOST' THEN qv::numeric ELSE 'Infinity'::numeric END AS hi
    FROM ordered WHERE stance = 'AFFIRMS' AND qv IS NOT NULL
),
units AS (
    SELECT claim_id, unit, count(*) AS n, min(seq) AS first_seq,
           min(qv) AS qmin, max(qv) AS qmax, max(lo) > min(hi) AS conflict
    FROM ranges GROUP BY claim_id, unit
),
quantities AS (
    SELECT DISTINCT ON (claim_id) claim_id, qmin, qmax,
           bool_or(conflict) OVER (PARTITION BY claim_id) AS conflict
    FROM units ORDER BY claim_id, n DESC, first_seq
),
reviews AS (
    SELECT a.claim_id,
           count(*) FILTER (WHERE a.review_status = 'SUGGESTED') AS suggested,
           count(*) FILTER (WHERE a.review_status IN ('REJECTED', 'RETRACTED')) AS rejected
    FROM attribution a WHERE a.claim_id = ANY(CAST(:ids AS bigint[]))
    GROUP BY a.claim_id
),
counts AS (
    SELECT o.claim_id,
           count(*) AS report_count,
           count(DISTINCT o.source_id) AS source_count,
           count(DISTINCT w3.origin_key) AS origin_count,
           min(o.id) FILTER (WHERE o.seq = 1) AS first_report_id
    FROM ordered o JOIN weighed w3 ON w3.id = o.id
    GROUP BY o.claim_id
),
stances AS (
    SELECT claim_id,
           count(*) FILTER (WHERE stance = 'AFFIRMS') AS affirm_count,
           count(*) FILTER (WHERE stance = 'DENIES') AS deny_count
    FROM latest GROUP BY claim_id
)
SELECT ids.id AS claim_id,
       coalesce(c.report_count, 0) AS report_count,
       coalesce(rv.suggested, 0) AS suggested,
       coalesce(rv.rejected, 0) AS rejected,
       coalesce(c.source_count, 0) AS source_count,
       coalesce(c.origin_count, 0) AS origin_count,
       coalesce(st.affirm_count, 0) AS affirm_count,
       coalesce(st.deny_count, 0) AS deny_count,
       (coalesce(st.affirm_count, 0) > 0 AND coalesce(st.deny_count, 0) > 0)
           OR coalesce(q.conflict, false) AS contested,
       c.first_report_id,
       coalesce(sp.affirm, 0) AS affirm,
       coalesce(sp.deny, 0) AS deny,
       round(greatest(0, least(1, coalesce(sp.affirm, 0) * (1 - coalesce(sp.deny, 0))))::numeric,
             10)::float8 AS consensus,
       q.qmin, q.qmax,
       coalesce(e.groups, '[]') AS groups,
       coalesce(ss.items, '[]') AS superseded
FROM unnest(CAST(:ids AS bigint[])) AS ids (id)
LEFT JOIN counts c ON c.claim_id = ids.id
LEFT JOIN stances st ON st.claim_id = ids.id
LEFT JOIN support sp ON sp.claim_id = ids.id
LEFT JOIN quantities q ON q.claim_id = ids.id
LEFT JOIN explained e ON e.claim_id = ids.id
LEFT JOIN superseded ss ON ss.claim_id = ids.id
LEFT JOIN reviews rv ON rv.claim_id = ids.id
"""


@dataclass(frozen=True)
class Comparison:
    """How the sources of one claim agree; see the module docstring for the rules."""

    claim_id: int
    report_count: int
    suggestion_count: int
    left_out_count: int
    source_count: int
    independent_origin_count: int
    affirm_count: int
    deny_count: int
    contested: bool
    first_report_id: int | None
    consensus_confidence: float
    explanation: str
    quantity_min: float | None
    quantity_max: float | None


def _groups(raw: object) -> list[consensus.OriginGroup]:
    items = json.loads(raw) if isinstance(raw, str) else raw
    assert isinstance(items, list)
    return [consensus.OriginGroup.from_json(item) for item in items]


def _superseded(raw: object) -> list[consensus.Superseded]:
    items = json.loads(raw) if isinstance(raw, str) else raw
    assert isinstance(items, list)
    return [consensus.Superseded(i["source"], int(i["reports"]), i["stance"]) for i in items]


async def comparisons(
    db: Executor, claim_ids: Sequence[int], *, include_suggested: bool = True
) -> dict[int, Comparison]:
    """The comparison of every claim in `claim_ids`, in one statement.

    Rejected attributions never count; unconfirmed suggestions count unless
    `include_suggested` is false.
    """
    parameters = {"ids": list(claim_ids), "include_suggested": include_suggested}
    result = await db.execute(text(COMPARISON_SQL), parameters)
    found: dict[int, Comparison] = {}
    for row in result.mappings():
        affirm, deny, value = float(row["affirm"]), float(row["deny"]), float(row["consensus"])
        found[row["claim_id"]] = Comparison(
            claim_id=row["claim_id"],
            report_count=row["report_count"],
            suggestion_count=row["suggested"] if include_suggested else 0,
            left_out_count=row["rejected"] + (0 if include_suggested else row["suggested"]),
            source_count=row["source_count"],
            independent_origin_count=row["origin_count"],
            affirm_count=row["affirm_count"],
            deny_count=row["deny_count"],
            contested=row["contested"],
            first_report_id=row["first_report_id"],
            consensus_confidence=value,
            explanation=consensus.explain(
                _groups(row["groups"]), _superseded(row["superseded"]), affirm, deny, value
            ),
            quantity_min=row["qmin"],
            quantity_max=row["qmax"],
        )
    return found
