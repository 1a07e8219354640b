"""Reading a POSTed explorer form, refused unless it came from one of our own pages.

Two checks, both before any field is used: the browser's Origin (sent with every POST by
current browsers) must be this server's, and the form's `csrf` field must equal the
CSRF cookie (cookies.py). With SameSite=Strict cookies on top, another site can neither
sign a reader in nor act as one.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from api.settings import Settings
from api.web.explorer.cookies import CSRF_COOKIE, plausible
from api.web.explorer.site import PageFailed

CSRF_FIELD = "csrf"
# No form of ours has more fields; the body size is capped by CLAIMGRAPH_MAX_BODY_BYTES.
MAX_FIELDS = 20
STALE = (
    "This form was sent from another site, or from a page too old to trust."
    " Open the page again and send it from there."
)


def same_origin(request: Request) -> bool:
    """No Origin (an old browser, a script) passes: the CSRF token still must match."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"


async def posted_form(request: Request) -> FormData:
    """The form's fields; PageFailed(403) when it fails either check, PageFailed(400)
    when it cannot be read. A field may be as long as the body limit lets through
    (CLAIMGRAPH_MAX_BODY_BYTES, enforced before the app), as an article over /graphql."""
    if not same_origin(request):
        raise PageFailed(403, STALE)
    settings: Settings = request.app.state.settings
    try:
        form = await request.form(
            max_files=0, max_fields=MAX_FIELDS, max_part_size=settings.max_body_bytes
        )
    except HTTPException as unreadable:
        raise PageFailed(400, f"The form could not be read: {unreadable.detail}") from None
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not (isinstance(sent, str) and plausible(cookie) and plausible(sent)):
        raise PageFailed(403, STALE)
    assert cookie is not None
    if not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise PageFailed(403, STALE)
    return form


def text(form: FormData, name: str, limit: int) -> str:
    """A text field, stripped; PageFailed(400) when longer than `limit` characters."""
    value = form.get(name, "")
    if not isinstance(value, str):
        raise PageFailed(400, f"{name} must be text.")
    if len(value) > limit:
        raise PageFailed(400, f"{name} may have at most {limit:,} characters.")
    return value.strip()
