"""Rules for creating claims."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.models import MAX_STATEMENT_LENGTH, Claim
from api.db import table_of
from api.errors import Problems
from api.validation import language_tag, text_field

claim_table = table_of(Claim)


async def create_claim(session: AsyncSession, *, statement: str, language: str) -> int:
    """Store a claim and return its id; raises DomainError listing every problem."""
    problems = Problems()
    checked = text_field(problems, statement, "input", "statement", max_length=MAX_STATEMENT_LENGTH)
    tag = language_tag(problems, language, "input", "language")
    problems.raise_if_any()
    assert checked is not None and tag is not None
    result = await session.execute(
        insert(claim_table)
        .values(statement=checked.strip(), language=tag)
        .returning(claim_table.c.id)
    )
    return int(result.scalar_one())
