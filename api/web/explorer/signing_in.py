"""Sign in with an API key, once; sign out.

GET {prefix}/login shows the form (or who is signed in); POST checks the key, opens a
web session (api/auth/sessions.py) and sets its cookie, then goes back to the page the
reader came from. POST {prefix}/logout ends the session. Both forms carry the CSRF token
(forms.py). The same keys and roles as the API's decide what a signed-in reader may do.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from api.auth.sessions import close_session, open_session
from api.errors import DomainError
from api.settings import Settings
from api.web.explorer.cookies import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    new_token,
    set_cookie,
)
from api.web.explorer.forms import posted_form, text
from api.web.explorer.site import Site

MAX_KEY = 200
MAX_NEXT = 2000


def local_next(site: Site, value: str | None) -> str:
    """Where to go after signing in or out: a path of this explorer, never another host
    (`//evil.example` and `/\\evil` are hosts to a browser)."""
    home = f"{site.prefix}/"
    if not value or len(value) > MAX_NEXT or not value.startswith(home):
        return home
    if value.startswith("//") or "\\" in value or any(ord(c) < 0x20 for c in value):
        return home
    return value


def routes(site: Site) -> list[BaseRoute]:
    cookie_path = site.prefix or "/"

    async def login_form(request: Request) -> Response:
        after = local_next(site, request.query_params.get("next"))
        return site.render(request, "login.html", {"next": after, "problem": None})

    async def login(request: Request) -> Response:
        form = await posted_form(request)
        after = local_next(site, text(form, "next", MAX_NEXT))
        key = text(form, "key", MAX_KEY)
        settings: Settings = request.app.state.settings
        try:
            async with request.app.state.session_factory.begin() as session:
                opened = await open_session(
                    session, key=key, lifetime=timedelta(hours=settings.session_hours)
                )
        except DomainError:
            problem = "That API key is unknown or revoked. Check it and try again."
            context = {"next": after, "problem": problem}
            return site.render(request, "login.html", context, status_code=401)
        response = RedirectResponse(after, status_code=303)
        max_age = int(settings.session_hours * 3600)
        set_cookie(
            response, request, SESSION_COOKIE, opened.token, path=cookie_path, max_age=max_age
        )
        # A new CSRF token with the new sign-in: one planted before it is worth nothing.
        set_cookie(response, request, CSRF_COOKIE, new_token(), path=cookie_path)
        return response

    async def logout(request: Request) -> Response:
        form = await posted_form(request)
        if token := request.cookies.get(SESSION_COOKIE):
            async with request.app.state.session_factory.begin() as session:
                await close_session(session, token)
        after = local_next(site, text(form, "next", MAX_NEXT))
        response = RedirectResponse(after, status_code=303)
        clear_cookie(response, request, SESSION_COOKIE, path=cookie_path)
        return response

    return [
        Route(f"{site.prefix}/login", site.page(login_form), methods=["GET", "HEAD"]),
        Route(f"{site.prefix}/login", site.page(login), methods=["POST"]),
        Route(f"{site.prefix}/logout", site.page(logout), methods=["POST"]),
    ]
