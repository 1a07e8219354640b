"""Attribute an extracted claim to a stored one when they say the same, else create it.

Two routes, both in PostgreSQL: the same statement after folding (case, accents,
transliteration), in the same primary language; or, with pg_trgm, a folded
statement at least SIMILAR similar by trigrams (word order and small wording
differences); and, when enabled, a stored translation found by a multilingual
sentence encoder (api/ingest/encoder.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.service import create_claim
from api.ingest.encoder import encoder_available, translation_match
from api.search import SearchSupport

SIMILAR = 0.75

SAME = text("""
    SELECT id FROM claim
    WHERE cg_fold(statement) = cg_fold(:statement)
      AND split_part(language, '-', 1) = split_part(:language, '-', 1)
    ORDER BY id LIMIT 1
""")

NEAR = text("""
    SELECT id, similarity(cg_fold(statement), cg_fold(:statement)) AS score
    FROM claim
    WHERE cg_fold(statement) % cg_fold(:statement)
      AND split_part(language, '-', 1) = split_part(:language, '-', 1)
    ORDER BY score DESC, id LIMIT 1
""")

# ALREADY_STORED: the text was ingested before; this is what that ingest filed.
How = Literal[
    "NEW", "SAME_STATEMENT", "SIMILAR_STATEMENT", "TRANSLATED_STATEMENT", "ALREADY_STORED"
]


@dataclass(frozen=True)
class ClaimMatch:
    claim_id: int
    how: How
    similarity: float | None = None


async def match_or_create(
    session: AsyncSession,
    *,
    statement: str,
    language: str,
    support: SearchSupport,
    cross_language: bool = False,
) -> ClaimMatch:
    """The stored claim that says the same, else a new one.

    With `cross_language` (and the `encoders` extra installed), a statement may also
    match a stored translation of it (api/ingest/encoder.py).
    """
    values = {"statement": statement, "language": language}
    same = await session.scalar(SAME, values)
    if same is not None:
        return ClaimMatch(int(same), "SAME_STATEMENT", 1.0)
    if support.trigram:
        near = (await session.execute(NEAR, values)).first()
        if near is not None and near.score >= SIMILAR:
            return ClaimMatch(int(near.id), "SIMILAR_STATEMENT", float(near.score))
    if cross_language and encoder_available():
        translated = await translation_match(session, statement=statement, language=language)
        if translated is not None:
            return ClaimMatch(translated[0], "TRANSLATED_STATEMENT", translated[1])
    created = await create_claim(session, statement=statement, language=language)
    return ClaimMatch(created, "NEW")
