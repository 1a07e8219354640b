"""Rules for creating sources."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import table_of
from api.enums import SourceKind, SourceReliability
from api.errors import Problems
from api.repository import existing_ids
from api.sources.models import Source
from api.validation import MAX_NAME_LENGTH, string_list, text_field

source_table = table_of(Source)


@dataclass(frozen=True)
class NewSource:
    name: str
    kind: SourceKind
    aliases: list[str] | None = None
    affiliation_id: int | None = None
    reliability: SourceReliability | None = None
    state_affiliated: bool | None = None


async def create_source(session: AsyncSession, new: NewSource) -> int:
    """Store a source and return its id; raises DomainError listing every problem."""
    problems = Problems()
    name = text_field(problems, new.name, "input", "name", max_length=MAX_NAME_LENGTH)
    aliases = string_list(problems, new.aliases, "input", "aliases", max_length=MAX_NAME_LENGTH)
    if new.affiliation_id is not None and not await existing_ids(
        session, source_table, [new.affiliation_id]
    ):
        problems.not_found("affiliation names no source", "input", "affiliationId")
    problems.raise_if_any()
    assert name is not None
    result = await session.execute(
        insert(source_table)
        .values(
            name=name.strip(),
            kind=new.kind.value,
            aliases=[a for a in aliases if a != name.strip()],
            affiliation_id=new.affiliation_id,
            reliability=new.reliability.value if new.reliability else None,
            state_affiliated=bool(new.state_affiliated),
        )
        .returning(source_table.c.id)
    )
    return int(result.scalar_one())
