"""The claim page: the chain graph, the timeline and the reports a hundred at a time."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory
from api.demo.loader import load_demo
from api.documents.service import NewDocument, create_document
from api.enums import Method, ReviewStatus, Stance
from api.interchange.ids import encode_id
from api.provenance.service import attribution_table, chain_rows, chain_table
from tests.api.web.explorer.test_pages import parsed
from tests.support.app import serving
from tests.support.sql import StatementCounter
from tests.support.stored import DAY, claim, document, report, source


def claim_href(claim_id: int) -> str:
    return f"/claims/{quote(encode_id('Claim', claim_id), safe='')}"


def source_href(source_id: int) -> str:
    return f"/sources/{quote(encode_id('Source', source_id), safe='')}"


def svg_of(html: str) -> str:
    found = re.search(r"<svg .*?</svg>", html, re.DOTALL)
    assert found, html
    return found.group()


def timeline_of(html: str) -> list[str]:
    """The timeline's entries as text: date (or "date unknown"), source, stance."""
    found = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.DOTALL)
    assert found, html
    entries = re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries]


async def bulk_reports(session: AsyncSession, claim_id: int, source_id: int, n: int) -> None:
    """`n` curated reports of one claim by one source in one document, a day apart: two
    statements, not n service calls."""
    document_id = await document(session)
    rows = [
        {
            "claim_id": claim_id,
            "document_id": document_id,
            "source_id": source_id,
            "stance": Stance.AFFIRMS.value,
            "confidence": 1.0,
            "hedges": [],
            "reported_at": DAY + timedelta(days=i),
            "method": Method.CURATED.value,
            "review_status": ReviewStatus.CONFIRMED.value,
        }
        for i in range(n)
    ]
    ids = await session.scalars(insert(attribution_table).returning(attribution_table.c.id), rows)
    links = [link for i in ids for link in chain_rows(i, claim_id, None, source_id, [])]
    await session.execute(insert(chain_table), links)


async def test_reports_sharing_an_origin_meet_in_one_linked_node(db: AsyncEngine) -> None:
    # given: Yonhap and Der Spiegel both report KCNA; Kyodo cites unnamed sources
    async with create_session_factory(db).begin() as session:
        claim_id = await claim(session)
        kcna = await source(session, "KCNA")
        yonhap = await source(session, "Yonhap")
        spiegel = await source(session, "Der Spiegel")
        kyodo = await source(session, "Kyodo")
        unnamed = await source(session, "Ungenannte Quellen (Kyodo)")
        for publisher in (yonhap, spiegel):
            published = await document(session, publisher_id=publisher)
            await report(session, claim_id, kcna, document_id=published)
        await report(session, claim_id, kyodo, via=[unnamed])
    async with serving(db) as client:
        # when
        response = await client.get(claim_href(claim_id))
    # then
    assert response.status_code == 200
    page = parsed(response.text)
    svg = svg_of(response.text)
    assert 'role="img"' in svg and 'aria-labelledby="chain-graph-title"' in svg
    assert '<title id="chain-graph-title">3 reports from 2 origins</title>' in svg
    assert svg.count(f'href="{source_href(kcna)}"') == 1
    assert svg.count('marker-end="url(#chain-arrow)"') == 3
    assert svg.count('class="node origin"') == 2
    for source_id in (kcna, yonhap, spiegel, kyodo, unnamed):
        assert source_href(source_id) in page.links
    assert "<dt>Via</dt>" in response.text and "Ungenannte Quellen (Kyodo)" in response.text


async def test_the_timeline_runs_oldest_first_with_undated_reports_last(
    db: AsyncEngine,
) -> None:
    # given: reports on days 2, 0 and 1, and one in an undated document
    async with create_session_factory(db).begin() as session:
        claim_id = await claim(session)
        for name, day in (("Later", 2), ("First", 0), ("Middle", 1)):
            await report(session, claim_id, await source(session, name), day=day)
        undated = await create_document(session, NewDocument("Undatiert", "de", text="Text"))
        await report(session, claim_id, await source(session, "Undated"), document_id=undated)
    async with create_session_factory(db).begin() as session:
        # an undated document's report has no date of its own either
        await session.execute(
            attribution_table.update()
            .where(attribution_table.c.document_id == undated)
            .values(reported_at=None)
        )
    async with serving(db) as client:
        # when
        response = await client.get(claim_href(claim_id))
    # then
    parsed(response.text)
    assert timeline_of(response.text) == [
        "2023-09-13 First affirms",
        "2023-09-14 Middle affirms",
        "2023-09-15 Later affirms",
        "date unknown Undated affirms",
    ]
    assert '<time datetime="2023-09-13T00:00:00+00:00">2023-09-13</time>' in response.text


async def test_more_than_a_hundred_reports_come_a_hundred_at_a_time(db: AsyncEngine) -> None:
    # given: 105 reports of one claim
    async with create_session_factory(db).begin() as session:
        claim_id = await claim(session)
        await bulk_reports(session, claim_id, await source(session, "KCNA"), 105)
    async with serving(db) as client:
        # when
        first = await client.get(claim_href(claim_id))
        onwards = re.search(r'<a href="([^"]+)" rel="next">Next reports</a>', first.text)
        assert onwards, first.text
        second = await client.get(onwards.group(1).replace("&amp;", "&"))
    # then
    assert [first.status_code, second.status_code] == [200, 200]
    parsed(first.text)
    page = parsed(second.text)
    assert "Reports 1\u2013100 of 105" in first.text
    assert first.text.count('<article class="report">') == 100
    assert "covers only the reports on this page (1\u2013100)" in first.text
    assert "Reports 101\u2013105 of 105" in second.text
    assert second.text.count('<article class="report">') == 5
    assert 'rel="next"' not in second.text
    assert claim_href(claim_id) in page.links  # back to the first reports
    assert timeline_of(second.text)[0] == "2023-12-22 KCNA affirms"  # DAY + 100 days


async def test_a_claim_with_few_reports_has_no_page_links(db: AsyncEngine) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        claim_id = await claim(session)
        await report(session, claim_id, await source(session, "KCNA"))
    async with serving(db) as client:
        # when
        response = await client.get(claim_href(claim_id))
        mangled = await client.get(claim_href(claim_id), params={"after": "not-a-cursor"})
    # then
    parsed(response.text)
    assert "Reports (1)" in response.text and "Next reports" not in response.text
    assert "covers only" not in response.text
    assert mangled.status_code == 404 and "Traceback" not in mangled.text


async def test_the_claim_page_needs_no_more_statements_for_four_reports_than_for_one(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given: the demo data's Sukhoi claim (one report) and the invitation (four)
    async with create_session_factory(db).begin() as session:
        await load_demo(session)
    async with serving(db) as client:
        counts = []
        for search in ("Sukhoi", "Gegenbesuch"):
            found = await client.get("/", params={"q": search})
            link = next(h for h in parsed(found.text).links if h.startswith("/claims/"))
            # when
            sql_counter.statements.clear()
            page = await client.get(link)
            assert page.status_code == 200
            counts.append(sql_counter.count)
    # then: one GraphQL document whose loaders batch by key (a claim whose reports cite
    # sources through `via` needs one batch more), not statements per report
    assert max(counts) <= 10 and counts[1] <= counts[0] + 1, sql_counter.statements
