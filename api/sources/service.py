"""Rules for creating and editing sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import table_of
from api.enums import SourceField, SourceKind, SourceReliability
from api.errors import Problems
from api.repository import existing_ids
from api.revisions.service import update_versioned
from api.sources.models import Source
from api.validation import MAX_NAME_LENGTH, cleared, string_list, text_field

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
    if new.affiliation_id is not None:
        await check_affiliation(session, problems, new.affiliation_id)
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


async def check_affiliation(
    session: AsyncSession, problems: Problems, affiliation_id: int, *, source_id: int | None = None
) -> None:
    """The affiliation must exist and, for an edited source, must not lead back to it."""
    if not await existing_ids(session, source_table, [affiliation_id]):
        problems.not_found("affiliation names no source", "input", "affiliationId")
    elif source_id is not None and await _affiliated_to(session, affiliation_id, source_id):
        problems.invalid("this affiliation would make a cycle", "input", "affiliationId")


async def _affiliated_to(session: AsyncSession, start: int, target: int) -> bool:
    """Whether `target` is `start` or among the sources `start` is affiliated to, transitively."""
    found = await session.scalar(
        text(
            "WITH RECURSIVE up(id) AS (SELECT CAST(:start AS bigint) UNION"
            " SELECT s.affiliation_id FROM source s JOIN up ON s.id = up.id"
            " WHERE s.affiliation_id IS NOT NULL)"
            " SELECT EXISTS (SELECT 1 FROM up WHERE id = :target)"
        ),
        {"start": start, "target": target},
    )
    return bool(found)


@dataclass(frozen=True)
class SourceEdit:
    """The fields to change; None leaves a field as it is."""

    name: str | None = None
    kind: SourceKind | None = None
    aliases: list[str] | None = None
    affiliation_id: int | None = None
    reliability: SourceReliability | None = None
    state_affiliated: bool | None = None
    clear: frozenset[SourceField] = frozenset()


async def update_source(
    session: AsyncSession, *, source_id: int, version: int, edit: SourceEdit
) -> int:
    """Edit a source as of `version` with the rules of creation; CONFLICT when edited meanwhile."""
    problems = Problems()
    values: dict[str, Any] = {}
    if edit.name is not None:
        name = text_field(problems, edit.name, "input", "name", max_length=MAX_NAME_LENGTH)
        values["name"] = (name or "").strip()
    if edit.aliases is not None:
        aliases = string_list(
            problems, edit.aliases, "input", "aliases", max_length=MAX_NAME_LENGTH
        )
        values["aliases"] = [a for a in aliases if a != values.get("name")]
    if edit.affiliation_id is not None:
        await check_affiliation(session, problems, edit.affiliation_id, source_id=source_id)
        values["affiliation_id"] = edit.affiliation_id
    if edit.kind is not None:
        values["kind"] = edit.kind.value
    if edit.reliability is not None:
        values["reliability"] = edit.reliability.value
    if edit.state_affiliated is not None:
        values["state_affiliated"] = edit.state_affiliated
    given = {"affiliationId": edit.affiliation_id, "reliability": edit.reliability}
    for name in cleared(problems, edit.clear, given):
        values[{"affiliationId": "affiliation_id"}.get(name, name)] = None
    if not values and not problems:
        problems.invalid("give at least one field to change", "input")
    problems.raise_if_any()
    return await update_versioned(
        session, source_table, pk=source_id, version=version, values=values
    )
