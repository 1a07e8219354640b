"""An attribution's chain and the rules of recording one (api/provenance/service.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.enums import ChainRole, QuantityBound
from api.errors import DomainError, ErrorCode
from api.provenance.repository import ChainEntry, chains
from api.provenance.service import (
    NewAttribution,
    NewQuantity,
    add_attribution,
    attribution_table,
    chain_rows,
)
from tests.support.stored import DAY, claim, document, report, source

PUBLISHER, SOURCE, VIA = ChainRole.PUBLISHER.value, ChainRole.SOURCE.value, ChainRole.VIA.value


def _roles(rows: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(row["position"], row["role"], row["source_id"]) for row in rows]


def test_a_chain_runs_publisher_source_then_via_outermost_first() -> None:
    # when Die Zeit publishes dpa's report of what Yonhap heard from KCNA
    rows = chain_rows(7, 3, publisher_id=10, source_id=20, via=[30, 40])
    # then the chain is publisher, source, via in the order cited, numbered from 0
    assert _roles(rows) == [(0, PUBLISHER, 10), (1, SOURCE, 20), (2, VIA, 30), (3, VIA, 40)]
    assert {(row["attribution_id"], row["claim_id"]) for row in rows} == {(7, 3)}


def test_a_publisher_reporting_itself_is_not_named_twice() -> None:
    assert _roles(chain_rows(1, 1, publisher_id=20, source_id=20, via=[])) == [(0, SOURCE, 20)]
    assert _roles(chain_rows(1, 1, publisher_id=None, source_id=20, via=[])) == [(0, SOURCE, 20)]


async def test_a_stored_attribution_reads_back_its_chain(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a document published by Die Zeit, quoting dpa citing KCNA
        zeit, dpa, kcna = [await source(session, n) for n in ("Die Zeit", "dpa", "KCNA")]
        pk = await report(
            session,
            await claim(session),
            dpa,
            document_id=await document(session, publisher_id=zeit),
            via=[kcna],
        )
        # when its chain is read
        found = await chains(session, [pk])
    # then it runs outermost first
    assert found == {
        pk: [
            ChainEntry(ChainRole.PUBLISHER, zeit),
            ChainEntry(ChainRole.SOURCE, dpa),
            ChainEntry(ChainRole.VIA, kcna),
        ]
    }


async def test_defaults_curated_confirmed_affirming_as_of_publication(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given only the ids an attribution needs
        new = NewAttribution(
            claim_id=await claim(session),
            document_id=await document(session),
            source_id=await source(session, "KCNA"),
        )
        # when it is added
        pk = await add_attribution(session, new)
        row = (
            (await session.execute(select(attribution_table).where(attribution_table.c.id == pk)))
            .mappings()
            .one()
        )
    # then it affirms firmly, as the document's publication date, curated and confirmed
    assert (row["stance"], row["confidence"], row["reported_at"]) == ("AFFIRMS", 1.0, DAY)
    assert (row["method"], row["review_status"]) == ("CURATED", "CONFIRMED")


async def test_an_extracted_attribution_awaits_an_editor(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await report(
            session, await claim(session), await source(session, "KCNA"), suggested=True
        )
        row = (
            (await session.execute(select(attribution_table).where(attribution_table.c.id == pk)))
            .mappings()
            .one()
        )
    assert (row["method"], row["review_status"], row["extractor_version"]) == (
        "EXTRACTED",
        "SUGGESTED",
        "test-1",
    )


async def test_a_via_that_repeats_or_contains_the_source_is_refused(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a via naming the source itself and KCNA twice
        kcna, dpa = await source(session, "KCNA"), await source(session, "dpa")
        new = NewAttribution(
            claim_id=await claim(session),
            document_id=await document(session),
            source_id=dpa,
            via=[dpa, kcna, kcna],
        )
        # when it is added, then both problems are reported at once
        with pytest.raises(DomainError) as refused:
            await add_attribution(session, new)
    messages = [p.message for p in refused.value.problems]
    assert messages == [
        "via must not contain the attributed source itself",
        "via must not repeat a source",
    ]


async def test_every_missing_reference_is_reported(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        new = NewAttribution(claim_id=999, document_id=998, source_id=997, via=[kcna, 996])
        with pytest.raises(DomainError) as refused:
            await add_attribution(session, new)
    problems = refused.value.problems
    assert {p.code for p in problems} == {ErrorCode.NOT_FOUND}
    assert [p.field for p in problems] == [
        ("input", "claimId"),
        ("input", "documentId"),
        ("input", "sourceId"),
        ("input", "via", "1"),
    ]


async def test_a_blank_quantity_unit_is_refused_and_a_unit_is_trimmed(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        claim_id, kcna = await claim(session), await source(session, "KCNA")
        document_id = await document(session)

        def new(unit: str) -> NewAttribution:
            quantity = NewQuantity(13, unit, QuantityBound.APPROXIMATE)
            return NewAttribution(claim_id, document_id, kcna, quantity=quantity)

        with pytest.raises(DomainError, match="unit must not be empty"):
            await add_attribution(session, new("  "))
        pk = await add_attribution(session, new(" km "))
        row = (
            (await session.execute(select(attribution_table).where(attribution_table.c.id == pk)))
            .mappings()
            .one()
        )
    assert (row["quantity_value"], row["quantity_unit"], row["quantity_bound"]) == (
        13,
        "km",
        "APPROXIMATE",
    )
