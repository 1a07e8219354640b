"""Ingest an article from the browser: preview what would be stored, then store it.

GET {prefix}/ingest shows the form. POST with action=preview runs ingestDocument as a dry
run and shows the text with the quotes it found marked, each numbered, and below them
how each claim would be filed and through which chain; action=store runs it for real and
goes to the stored document's page. Whether the caller may ingest is the mutation's
decision (the API's keys and roles); the page only asks first, to say it kindly. No
error loses the text: every answer to a POST carries it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from api.auth.roles import AccessPolicy, Role
from api.documents.models import MAX_TEXT_LENGTH
from api.validation import MAX_TITLE_LENGTH, MAX_URL_LENGTH
from api.web.explorer import highlight, marks
from api.web.explorer.forms import posted_form
from api.web.explorer.reading import REFUSED
from api.web.explorer.site import Site, caller, node_href
from api.web.explorer.writing import write

INGEST = """
mutation ExplorerIngest($input: IngestDocumentInput!) {
  ingestDocument(input: $input) {
    document { id title language }
    attributions {
      quoteStart
      quoteEnd
      stance
      confidence
      hedges
      quantity { value unit bound }
      source { name kind }
      chain { name }
      origin { name }
      claim { statement language }
    }
    claims { how similarity claim { id } }
    createdSources { name kind }
    repeated
    errors { message field code }
  }
}
"""

LANGUAGES = (("", "Detect from the text"), ("de", "German"), ("en", "English"))
REFUSALS = {
    401: "Ingesting an article needs an editor's API key: sign in with one first.",
    403: "Ingesting an article needs an editor's API key; the key you signed in with may"
    " only read.",
}


@dataclass(frozen=True)
class Draft:
    """The form as the editor filled it in, sent back with every answer."""

    text: str = ""
    title: str = ""
    language: str = ""
    url: str = ""
    published: str = ""  # as the date field sent it: YYYY-MM-DD

    def input(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "text": self.text,
            "title": self.title or None,
            "language": self.language or None,
            "url": self.url or None,
            "publishedAt": published_at(self.published),
            "dryRun": dry_run,
        }


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None  # the form field at fault, when one is


@dataclass(frozen=True)
class Piece:
    """A stretch of the previewed text: plain, or part of quote `number` (1-based), with
    its hedges marked; `first` is the stretch that shows the quote's number."""

    parts: list[marks.Segment]
    number: int | None
    first: bool


def published_at(value: str) -> str | None:
    """A date (or a date and time, taken as UTC) as the DateTime the schema expects."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
        return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat()
    except ValueError:
        moment = datetime.fromisoformat(value)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def draft_of(form: FormData) -> tuple[Draft, list[Problem]]:
    """The draft, and what is wrong with it before the mutation is asked; the text is
    kept whole even when too long, so that the editor can shorten it."""
    # Browsers send a textarea's line breaks as CRLF; the text is stored as written.
    text = _field(form, "text").replace("\r\n", "\n").replace("\r", "\n")
    draft = Draft(
        text=text,
        title=_field(form, "title").strip()[:MAX_TITLE_LENGTH],
        language=_field(form, "language").strip(),
        url=_field(form, "url").strip()[:MAX_URL_LENGTH],
        published=_field(form, "publishedAt").strip()[:40],
    )
    problems = []
    if len(text) > MAX_TEXT_LENGTH:
        problems.append(
            Problem(
                f"The text has {len(text):,} characters; at most {MAX_TEXT_LENGTH:,} can be"
                " stored. Shorten it and try again.",
                "text",
            )
        )
    if draft.language not in {code for code, _ in LANGUAGES}:
        problems.append(Problem("Choose German, English or detection.", "language"))
    try:
        published_at(draft.published)
    except ValueError:
        problems.append(Problem("The publication date must be a date.", "publishedAt"))
    return draft, problems


def pieces(text: str, attributions: Sequence[dict[str, Any]]) -> list[Piece]:
    """The text cut at the quotes' edges (highlight.segments), each quoted stretch with
    the hedges of its attribution marked."""
    spans = [(a.get("quoteStart"), a.get("quoteEnd")) for a in attributions]
    numbered: set[int] = set()
    found = []
    for segment in highlight.segments(text, spans):
        if segment.quote is None:
            found.append(Piece([marks.Segment(segment.text, False)], None, False))
            continue
        hedges = attributions[segment.quote]["hedges"]
        first = segment.quote not in numbered
        numbered.add(segment.quote)
        found.append(Piece(marks.marked(segment.text, hedges), segment.quote + 1, first))
    return found


def payload_problems(errors: Sequence[dict[str, Any]]) -> list[Problem]:
    """The mutation's errors, each pinned to the form field its path names."""
    fields = {"text", "title", "language", "url", "publishedAt"}
    found = []
    for error in errors:
        path = error.get("field") or []
        name = path[-1] if path and path[-1] in fields else None
        found.append(Problem(str(error["message"]), name))
    return found


def routes(site: Site) -> list[BaseRoute]:
    def form_page(
        request: Request,
        draft: Draft,
        *,
        problems: Sequence[Problem] = (),
        preview: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Response:
        context: dict[str, Any] = {
            "draft": draft,
            "languages": LANGUAGES,
            "max_text": MAX_TEXT_LENGTH,
            "max_title": MAX_TITLE_LENGTH,
            "max_url": MAX_URL_LENGTH,
            "problems": problems,
            "invalid": {p.field for p in problems if p.field},
            "preview": preview,
            "refusal": None,
        }
        return site.render(request, "ingest.html", context, status_code=status_code)

    def refused_page(request: Request, status: int, draft: Draft) -> Response:
        context = {"draft": draft, "refusal": REFUSALS[status], "status": status}
        return site.render(request, "ingest.html", context, status_code=status)

    async def show(request: Request) -> Response:
        # Only to say it before the editor types: the mutation decides again on POST.
        policy = AccessPolicy.of(request.app.state.settings)
        if refusal := policy.refusal(caller(request), Role.EDITOR):
            return refused_page(request, REFUSED[refusal.problems[0].code.value], Draft())
        return form_page(request, Draft())

    async def send(request: Request) -> Response:
        form = await posted_form(request)
        draft, problems = draft_of(form)
        if problems:
            return form_page(request, draft, problems=problems, status_code=400)
        store = form.get("action") == "store"
        variables = {"input": draft.input(dry_run=not store)}
        written = await write(site, request, INGEST, variables, "ingestDocument")
        if written.refused:
            return refused_page(request, written.refused, draft)
        if written.errors:
            problems = payload_problems(written.errors)
            return form_page(request, draft, problems=problems, status_code=400)
        payload = written.payload
        if store:
            href = node_href(site.prefix, "documents", payload["document"]["id"])
            return RedirectResponse(href, status_code=303)
        attributions = payload["attributions"]
        preview = {
            "document": payload["document"],
            "pieces": pieces(draft.text, attributions),
            "reports": list(zip(attributions, payload["claims"], strict=True)),
            "created": payload["createdSources"],
            "repeated": payload["repeated"],
        }
        return form_page(request, draft, preview=preview)

    path = f"{site.prefix}/ingest"
    return [
        Route(path, site.page(show), methods=["GET", "HEAD"]),
        Route(path, site.page(send), methods=["POST"]),
    ]
