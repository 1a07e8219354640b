"""Rules for creating and editing claims."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.models import MAX_STATEMENT_LENGTH, Claim
from api.db import table_of
from api.errors import Problems
from api.revisions.service import update_versioned
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


async def update_claim(
    session: AsyncSession,
    *,
    claim_id: int,
    version: int,
    statement: str | None = None,
    language: str | None = None,
) -> int:
    """Edit a claim as of `version`; CONFLICT when someone else edited it first.

    The triggers refresh its search text and keep the old wording in its history.
    """
    problems = Problems()
    values: dict[str, str] = {}
    if statement is not None:
        checked = text_field(
            problems, statement, "input", "statement", max_length=MAX_STATEMENT_LENGTH
        )
        values["statement"] = (checked or "").strip()
    if language is not None:
        values["language"] = language_tag(problems, language, "input", "language") or ""
    if statement is None and language is None:
        problems.invalid("give a new statement, language or both", "input")
    problems.raise_if_any()
    return await update_versioned(session, claim_table, pk=claim_id, version=version, values=values)
