"""Ingesting an article from the browser: the form for editors only, a preview that stores
nothing, storing, and every error answered with the editor's text kept."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.documents.models import MAX_TEXT_LENGTH
from api.ids import encode_id
from tests.api.web.explorer.test_pages import parsed
from tests.api.web.explorer.test_signing_in import csrf_of, sign_in
from tests.support.app import new_key, serving

SEED = (Path(__file__).parents[4] / "api/demo/kim-putin-vostochny.de.txt").read_text("utf-8")
TEXTAREA = re.compile(r'<textarea id="text"[^>]*>\n(.*?)</textarea>', re.DOTALL)


async def rows(db: AsyncEngine, table: str) -> int:
    async with db.connect() as connection:
        return int(await connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


def kept_text(page: httpx.Response) -> str:
    found = TEXTAREA.search(page.text)
    assert found, page.text
    return unescape(found.group(1))


async def signed_in(client: httpx.AsyncClient, db: AsyncEngine, role: Role) -> str:
    """Signs the client in with a new key of `role`; the CSRF token of its forms."""
    answer = await sign_in(client, await new_key(db, role, f"test-{role}"))
    assert answer.status_code == 303
    return await csrf_of(client, "/")


async def post(client: httpx.AsyncClient, token: str, action: str, **fields: str) -> httpx.Response:
    return await client.post("/ingest", data={"csrf": token, "action": action, **fields})


async def test_an_anonymous_reader_is_asked_to_sign_in_and_shown_no_form(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        # when
        page = await client.get("/ingest")
    # then
    assert page.status_code == 401
    assert 'href="/login?next=/ingest"' in page.text
    assert 'name="text"' not in page.text


async def test_a_readers_key_is_told_an_editors_is_needed(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        await signed_in(client, db, Role.READER)
        # when
        page = await client.get("/ingest")
    # then
    assert page.status_code == 403
    assert "needs an editor" in page.text
    assert 'name="text"' not in page.text


async def test_an_editor_gets_a_labelled_form(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        await signed_in(client, db, Role.EDITOR)
        # when
        page = await client.get("/ingest")
    # then
    assert page.status_code == 200
    parsed(page.text)
    for name in ("text", "title", "language", "url", "publishedAt"):
        assert f'<label for="{name}">' in page.text
    assert 'type="date"' in page.text
    assert 'value="preview"' in page.text and 'value="store"' not in page.text


async def test_a_preview_marks_the_quotes_and_hedges_and_stores_nothing(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        # when
        page = await post(client, token, "preview", text=SEED, language="de")
    # then
    assert page.status_code == 200, page.text
    parsed(page.text)
    assert (
        '<mark>Kim werde <em class="hedge">voraussichtlich</em> eine Fabrik besuchen, in der'
        " Sukhoi-Kampfjets hergestellt werden</mark>"
    ) in page.text
    assert '<sup class="quote-number">1</sup>' in page.text and 'id="report-1"' in page.text
    assert "Kyodo" in page.text.split('id="proposed"')[1]
    assert "Kyodo" in page.text.split('id="new-sources"')[1]
    assert kept_text(page) == SEED
    assert 'value="store"' in page.text
    assert await rows(db, "document") == 0
    assert await rows(db, "attribution") == 0
    assert await rows(db, "source") == 0


async def test_storing_goes_to_the_document_and_the_claim_lists_the_report(
    db: AsyncEngine,
) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        # when
        stored = await post(
            client, token, "store", text=SEED, language="de", publishedAt="2023-09-14"
        )
        async with db.connect() as connection:
            found = (
                await connection.execute(
                    text(
                        "SELECT a.claim_id, d.published_at FROM attribution a"
                        " JOIN document d ON d.id = a.document_id WHERE a.quote LIKE '%Sukhoi%'"
                    )
                )
            ).first()
        assert found is not None
        claim = await client.get(f"/claims/{encode_id('Claim', found.claim_id)}")
    # then
    assert stored.status_code == 303
    assert stored.headers["location"] == f"/documents/{encode_id('Document', 1)}".replace(
        "=", "%3D"
    )
    assert await rows(db, "document") == 1
    assert found.published_at.isoformat() == "2023-09-14T00:00:00+00:00"
    assert claim.status_code == 200
    assert "Einladung zum Gegenbesuch angenommen" in claim.text
    assert "suggested" in claim.text and "Kyodo" in claim.text


async def test_a_form_without_its_csrf_token_stores_nothing(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        await signed_in(client, db, Role.EDITOR)
        # when
        answer = await client.post("/ingest", data={"action": "store", "text": SEED})
    # then
    assert answer.status_code == 403
    assert await rows(db, "document") == 0


async def test_a_problem_the_mutation_finds_is_shown_with_the_text_kept(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        # when
        bad_url = await post(client, token, "store", text=SEED, url="not an address")
        empty = await post(client, token, "store", text="  \r\n ")
    # then
    assert bad_url.status_code == 400
    assert 'id="url"' in bad_url.text and 'aria-invalid="true"' in bad_url.text
    assert kept_text(bad_url) == SEED
    assert empty.status_code == 400 and "must not be empty" in empty.text
    assert await rows(db, "document") == 0


async def test_a_text_over_the_limit_is_refused_with_the_limit_and_kept(db: AsyncEngine) -> None:
    # given
    too_long = "a" * (MAX_TEXT_LENGTH + 1)
    async with serving(db) as client:
        token = await signed_in(client, db, Role.EDITOR)
        # when
        answer = await post(client, token, "preview", text=too_long)
    # then
    assert answer.status_code == 400
    assert f"at most {MAX_TEXT_LENGTH:,}" in answer.text
    assert kept_text(answer) == too_long


async def test_the_mutation_decides_a_readers_post_is_refused_with_the_text_kept(
    db: AsyncEngine,
) -> None:
    # given: a reader who skipped the form's page and posts straight away
    async with serving(db) as client:
        token = await signed_in(client, db, Role.READER)
        # when
        answer = await post(client, token, "store", text=SEED)
    # then
    assert answer.status_code == 403
    assert "needs an editor" in answer.text
    assert "Kyodo berichtete" in answer.text
    assert await rows(db, "document") == 0


async def test_an_anonymous_post_is_refused_as_needing_a_sign_in(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        token = await csrf_of(client)
        # when
        answer = await post(client, token, "store", text=SEED)
    # then
    assert answer.status_code == 401
    assert 'href="/login?next=/ingest"' in answer.text
    assert await rows(db, "document") == 0
