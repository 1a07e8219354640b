"""The explorer's two cookies: the sign-in session and the CSRF token of its forms.

Both are HttpOnly and SameSite=Strict, and Secure when the page came over https (behind
a proxy, as CLAIMGRAPH_TRUSTED_PROXIES lets uvicorn see it). The session cookie holds a
random token whose hash names a web_session row (api/auth/sessions.py); the API key
itself never reaches a cookie. The CSRF cookie is a double-submit token: every form
carries its value in a hidden field, and a POST whose field and cookie differ, or whose
Origin is another site's, is refused (forms.py).
"""

from __future__ import annotations

import secrets

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from api.auth.roles import Caller
from api.auth.sessions import session_identity
from api.web.request_context import request_caller

SESSION_COOKIE = "claimgraph_session"
CSRF_COOKIE = "claimgraph_csrf"
# secrets.token_urlsafe(32): 43 characters of [A-Za-z0-9_-].
_TOKEN_LENGTH = 43


def new_token() -> str:
    return secrets.token_urlsafe(32)


def plausible(token: str | None) -> bool:
    return (
        token is not None
        and len(token) == _TOKEN_LENGTH
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)
    )


def set_cookie(
    response: Response,
    request: HTTPConnection,
    name: str,
    value: str,
    *,
    path: str,
    max_age: int | None = None,
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def clear_cookie(response: Response, request: HTTPConnection, name: str, *, path: str) -> None:
    response.delete_cookie(
        name, path=path, secure=request.url.scheme == "https", httponly=True, samesite="strict"
    )


async def page_caller(request: Request) -> Caller:
    """Who reads a page: the Authorization header's key when one is sent (scripts, tests),
    else the signed-in key of a live session cookie, else anonymous. A stale cookie
    (expired, signed out, key revoked) reads as anonymous: the page offers to sign in."""
    if request.headers.get("authorization"):
        return await request_caller(request)
    if token := request.cookies.get(SESSION_COOKIE):
        async with request.app.state.session_factory() as session:
            identity = await session_identity(session, token)
        if identity is not None:
            return Caller(key=identity)
    return await request_caller(request)
