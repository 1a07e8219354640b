"""Confirming or rejecting a suggestion from the claim page: editors only, decided by the
reviewAttribution mutation, back to the page the form was on."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.ids import encode_id
from tests.api.web.explorer.test_ingest_page import SEED, post, signed_in
from tests.api.web.explorer.test_pages import parsed
from tests.support.app import serving

REVIEW_BUTTON = 'name="status" value="CONFIRMED"'


async def ingested(client: httpx.AsyncClient, db: AsyncEngine, token: str) -> tuple[int, int]:
    """The seed article stored through the ingest page: (its Sukhoi report, its claim)."""
    stored = await post(client, token, "store", text=SEED, language="de")
    assert stored.status_code == 303
    async with db.connect() as connection:
        found = (
            await connection.execute(
                text("SELECT id, claim_id FROM attribution WHERE quote LIKE '%Sukhoi%'")
            )
        ).one()
    return int(found.id), int(found.claim_id)


async def status_of(db: AsyncEngine, attribution: int) -> str:
    async with db.connect() as connection:
        found = await connection.scalar(
            text("SELECT review_status FROM attribution WHERE id = :id"), {"id": attribution}
        )
    return str(found)


async def test_an_editor_confirms_a_suggestion_and_returns_to_the_claim(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        attribution, claim = await ingested(client, db, token)
        claim_page = f"/claims/{encode_id('Claim', claim)}"
        before = await client.get(claim_page)
        # when
        answer = await client.post(
            "/review",
            data={
                "csrf": token,
                "attributionId": encode_id("Attribution", attribution),
                "status": "CONFIRMED",
                "next": claim_page,
            },
        )
        after = await client.get(claim_page)
    # then
    assert before.status_code == 200 and REVIEW_BUTTON in before.text
    parsed(before.text)
    assert answer.status_code == 303
    assert answer.headers["location"] == claim_page
    assert await status_of(db, attribution) == "CONFIRMED"
    assert "confirmed" in after.text and REVIEW_BUTTON not in after.text


async def test_an_editor_rejects_a_suggestion(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        attribution, _ = await ingested(client, db, token)
        # when
        answer = await client.post(
            "/review",
            data={
                "csrf": token,
                "attributionId": encode_id("Attribution", attribution),
                "status": "REJECTED",
                "next": "https://evil.example/",
            },
        )
    # then: never sent to another site
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert await status_of(db, attribution) == "REJECTED"


async def test_a_reader_sees_no_buttons_and_a_readers_post_changes_nothing(
    db: AsyncEngine,
) -> None:
    # given
    async with serving(db) as editor:
        attribution, claim = await ingested(editor, db, await signed_in(editor, db, Role.EDITOR))
    async with serving(db) as client:
        token = await signed_in(client, db, Role.READER)
        page = await client.get(f"/claims/{encode_id('Claim', claim)}")
        # when
        answer = await client.post(
            "/review",
            data={
                "csrf": token,
                "attributionId": encode_id("Attribution", attribution),
                "status": "CONFIRMED",
                "next": "/",
            },
        )
    # then
    assert page.status_code == 200 and REVIEW_BUTTON not in page.text
    assert "suggested" in page.text
    assert answer.status_code == 403 and "editor" in answer.text
    assert await status_of(db, attribution) == "SUGGESTED"


async def test_an_anonymous_reader_sees_the_status_but_no_buttons(db: AsyncEngine) -> None:
    # given
    async with serving(db) as editor:
        _, claim = await ingested(editor, db, await signed_in(editor, db, Role.EDITOR))
    async with serving(db) as client:
        # when
        page = await client.get(f"/claims/{encode_id('Claim', claim)}")
    # then
    assert page.status_code == 200
    assert "suggested" in page.text and REVIEW_BUTTON not in page.text


async def test_a_review_without_its_csrf_token_changes_nothing(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        attribution, _ = await ingested(client, db, token)
        # when
        answer = await client.post(
            "/review",
            data={"attributionId": encode_id("Attribution", attribution), "status": "CONFIRMED"},
        )
    # then
    assert answer.status_code == 403
    assert await status_of(db, attribution) == "SUGGESTED"


async def test_a_review_of_nothing_is_told_why(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        # when
        unknown = await client.post(
            "/review",
            data={
                "csrf": token,
                "attributionId": encode_id("Attribution", 999),
                "status": "CONFIRMED",
                "next": "/",
            },
        )
        neither = await client.post(
            "/review",
            data={"csrf": token, "attributionId": "x", "status": "MAYBE", "next": "/"},
        )
    # then
    assert unknown.status_code == 400
    assert neither.status_code == 400 and "confirms or rejects" in neither.text
