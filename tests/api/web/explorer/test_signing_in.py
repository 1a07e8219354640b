"""Signing in to the explorer with an API key: a session cookie (HttpOnly, SameSite=Strict,
Secure over https) that never holds the key, CSRF-checked forms, sign-out, and the key's
role deciding what the pages may read."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.web.explorer.cookies import CSRF_COOKIE, SESSION_COOKIE
from tests.support.app import TEST_SETTINGS, new_key, serving

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf" value="([A-Za-z0-9_-]{43})">')
CLOSED = TEST_SETTINGS.model_copy(update={"anonymous_read": False})


def set_cookies(response: httpx.Response) -> dict[str, SimpleCookie]:
    found: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            found[name] = cookie
    return found


async def csrf_of(client: httpx.AsyncClient, path: str = "/login") -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF_INPUT.search(page.text)
    assert found, page.text
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, key: str, next_page: str = "/") -> httpx.Response:
    token = await csrf_of(client)
    return await client.post("/login", data={"csrf": token, "key": key, "next": next_page})


async def session_rows(db: AsyncEngine) -> int:
    async with db.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM web_session")) or 0)


async def test_signing_in_sets_a_strict_http_only_session_cookie_without_the_key(
    db: AsyncEngine,
) -> None:
    # given
    key = await new_key(db, Role.EDITOR, "anna")
    async with serving(db) as client:
        # when
        signed_in = await sign_in(client, key, next_page="/?q=Sukhoi")
        home = await client.get("/")
    # then: back where the reader came from, signed in as the key's name
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/?q=Sukhoi"
    cookie = set_cookies(signed_in)[SESSION_COOKIE][SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "strict" and not cookie["secure"]
    assert key not in signed_in.headers.get("set-cookie", "")
    assert "anna" in home.text and "Sign out" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert await session_rows(db) == 1


async def test_over_https_the_cookies_are_secure(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR)
    async with serving(db) as client:
        client.base_url = httpx.URL("https://test")
        # when
        page = await client.get("/login")
        signed_in = await sign_in(client, key)
    # then
    assert set_cookies(page)[CSRF_COOKIE][CSRF_COOKIE]["secure"]
    assert set_cookies(signed_in)[SESSION_COOKIE][SESSION_COOKIE]["secure"]


async def test_a_wrong_key_is_told_and_opens_nothing(db: AsyncEngine) -> None:
    # given
    async with serving(db) as client:
        # when
        answer = await sign_in(client, "cg_not-a-key")
    # then
    assert answer.status_code == 401
    assert "unknown or revoked" in answer.text
    assert SESSION_COOKIE not in set_cookies(answer)
    assert await session_rows(db) == 0


async def test_a_form_without_its_csrf_token_or_from_another_site_is_refused(
    db: AsyncEngine,
) -> None:
    # given
    key = await new_key(db, Role.EDITOR)
    async with serving(db) as client:
        token = await csrf_of(client)
        # when
        no_token = await client.post("/login", data={"key": key})
        wrong = await client.post("/login", data={"key": key, "csrf": "x" * 43})
        elsewhere = await client.post(
            "/login",
            data={"key": key, "csrf": token},
            headers={"Origin": "https://evil.example"},
        )
    # then
    for refused in (no_token, wrong, elsewhere):
        assert refused.status_code == 403
        assert "another site" in refused.text
    assert await session_rows(db) == 0


async def test_signing_out_ends_the_session(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR, "anna")
    async with serving(db) as client:
        await sign_in(client, key)
        token = await csrf_of(client)
        # when
        out = await client.post("/logout", data={"csrf": token, "next": "/"})
        home = await client.get("/")
    # then
    assert out.status_code == 303
    assert "Sign in" in home.text and "anna" not in home.text
    assert await session_rows(db) == 0


async def test_next_never_leaves_the_explorer(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.READER)
    async with serving(db) as client:
        # when
        answers = [
            await sign_in(client, key, next_page=target)
            for target in ("//evil.example/", "https://evil.example/", "/\\evil.example")
        ]
    # then
    assert [answer.headers["location"] for answer in answers] == ["/", "/", "/"]


async def test_a_signed_in_reader_reads_what_anonymous_callers_may_not(db: AsyncEngine) -> None:
    # given: a server that lets only keys read
    key = await new_key(db, Role.READER)
    async with serving(db, CLOSED) as client:
        # when
        before = await client.get("/", params={"q": "Sukhoi"})
        await sign_in(client, key)
        after = await client.get("/", params={"q": "Sukhoi"})
    # then
    assert before.status_code == 401 and "Sign in" in before.text
    assert after.status_code == 200


async def test_revoking_the_key_signs_the_browser_out(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR, "anna")
    async with serving(db) as client:
        await sign_in(client, key)
        # when
        async with db.begin() as connection:
            await connection.execute(text("UPDATE api_key SET revoked_at = now()"))
        home = await client.get("/")
    # then
    assert "anna" not in home.text and "Sign in" in home.text


async def test_a_field_over_a_mebibyte_is_read_and_a_form_too_many_fields_is_a_400_page(
    db: AsyncEngine,
) -> None:
    # given: fields as long as the body limit allows (an article may be), and a form
    # with more fields than any form of ours has
    key = await new_key(db, Role.READER)
    async with serving(db) as client:
        token = await csrf_of(client)
        long_field = {"csrf": token, "key": key, "next": "/" + "x" * 1_200_000}
        many_fields = {"csrf": token, "key": key, **{f"f{n}": "x" for n in range(30)}}
        # when
        long_answer = await client.post("/login", data=long_field)
        many_answer = await client.post("/login", data=many_fields)
    # then: a page saying what is wrong, never a 500
    assert long_answer.status_code == 400
    assert "at most 2,000 characters" in long_answer.text
    assert many_answer.status_code == 400
    assert "could not be read" in many_answer.text
    assert await session_rows(db) == 0
