"""Fact checks out of ClaimReview feeds: Google Fact Check Tools answers and page markup.

Two shapes are read, both as others write them:

- the answer of the Fact Check Tools API `claims:search`: `{"claims": [{"text",
  "claimant", "claimDate", "claimReview": [{"publisher": {"name", "site"}, "url",
  "title", "reviewDate", "textualRating", "languageCode"}]}]}`;
- schema.org ClaimReview markup (JSON-LD from a fact-checker's page): one object,
  a list of them, or an `@graph`, with `claimReviewed`, `itemReviewed` (a Claim with
  `author`, `datePublished`, `appearance`, `firstAppearance`), `author` or
  `publisher` (the fact-checker), `reviewRating`, `url` and `datePublished`.

Each review becomes one FactCheck, or a ParseProblem naming where it stands in
the input; times without a zone are read as UTC, dates as midnight UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from api.enums import SourceKind
from api.interchange.ratings import Rating
from api.validation import BadTime, utc_time


@dataclass(frozen=True)
class Party:
    name: str
    kind: SourceKind
    url: str | None = None


@dataclass(frozen=True)
class Appearance:
    url: str
    title: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class FactCheck:
    statement: str
    checker: Party
    review_url: str
    rating: Rating
    language: str | None = None
    claimant: Party | None = None
    claim_date: datetime | None = None
    appearances: list[Appearance] = field(default_factory=list)
    review_title: str | None = None
    review_date: datetime | None = None


class ParseProblem(ValueError):
    pass


def moment(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ParseProblem(f"{value!r} is not a date")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            day = date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ParseProblem(f"{value!r} is not an ISO 8601 date") from None
        parsed = datetime(day.year, day.month, day.day)
    try:
        return utc_time(parsed if parsed.utcoffset() is not None else parsed.replace(tzinfo=UTC))
    except BadTime as exc:
        raise ParseProblem(f"{value!r} {exc}") from None


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    return None


def _many(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _type(node: object) -> str:
    kinds = _many(node.get("@type")) if isinstance(node, dict) else []
    return str(kinds[0]).rsplit("/", 1)[-1].removeprefix("schema:") if kinds else ""


def party(node: object, default: SourceKind) -> Party | None:
    name = _text(node)
    if name is None:
        return None
    kind = SourceKind.PERSON if _type(node) == "Person" else default
    url = node.get("url") if isinstance(node, dict) else None
    return Party(name, kind, url if isinstance(url, str) else None)


def _appearance(node: object) -> Appearance | None:
    if isinstance(node, str):
        return Appearance(node)
    if not isinstance(node, dict) or not isinstance(node.get("url"), str):
        return None
    title = _text(node.get("headline")) or _text(node.get("name"))
    return Appearance(node["url"], title, moment(node.get("datePublished")))


def _rating(node: object) -> Rating:
    if not isinstance(node, dict):
        raise ParseProblem("reviewRating is missing")

    def number(key: str) -> float | None:
        value = node.get(key)
        try:
            return float(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    text = _text(node.get("alternateName")) or _text(node.get("name"))
    return Rating(text, number("ratingValue"), number("bestRating"), number("worstRating"))


def from_markup(node: dict[str, Any]) -> FactCheck:
    reviewed = node.get("itemReviewed")
    item: dict[str, Any] = reviewed if isinstance(reviewed, dict) else {}
    statement = _text(node.get("claimReviewed")) or _text(item.get("text")) or _text(item)
    checker = party(node.get("author"), SourceKind.NEWS_OUTLET) or party(
        node.get("publisher"), SourceKind.NEWS_OUTLET
    )
    if statement is None or checker is None or not isinstance(node.get("url"), str):
        raise ParseProblem("a ClaimReview needs claimReviewed, url and an author or publisher")
    authors = [party(a, SourceKind.OTHER) for a in _many(item.get("author"))]
    seen = [_appearance(a) for a in _many(item.get("firstAppearance"))]
    seen += [_appearance(a) for a in _many(item.get("appearance"))]
    appearances = list({a.url: a for a in seen if a is not None}.values())
    return FactCheck(
        statement=statement,
        checker=checker,
        review_url=node["url"],
        rating=_rating(node.get("reviewRating")),
        language=_text(node.get("inLanguage")) or _text(item.get("inLanguage")),
        claimant=next((a for a in authors if a is not None), None),
        claim_date=moment(item.get("datePublished")),
        appearances=appearances,
        review_title=_text(node.get("headline")) or _text(node.get("name")),
        review_date=moment(node.get("datePublished")),
    )


def from_search(claim: dict[str, Any], review: dict[str, Any]) -> FactCheck:
    statement = _text(claim.get("text"))
    checker = party(review.get("publisher"), SourceKind.NEWS_OUTLET)
    if statement is None or checker is None or not isinstance(review.get("url"), str):
        raise ParseProblem("a claim needs text, and its review a publisher and a url")
    site = review.get("publisher", {}).get("site")
    claimant = _text(claim.get("claimant"))
    return FactCheck(
        statement=statement,
        checker=Party(checker.name, checker.kind, site if isinstance(site, str) else None),
        review_url=review["url"],
        rating=Rating(text=_text(review.get("textualRating"))),
        language=_text(review.get("languageCode")),
        claimant=Party(claimant, SourceKind.OTHER) if claimant else None,
        claim_date=moment(claim.get("claimDate")),
        review_title=_text(review.get("title")),
        review_date=moment(review.get("reviewDate")),
    )


def fact_checks(data: object) -> Iterator[tuple[str, FactCheck | ParseProblem]]:
    """(where, fact check or problem) for every review in a feed of either shape."""
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        for i, claim in enumerate(data["claims"]):
            reviews = claim.get("claimReview") if isinstance(claim, dict) else None
            if not isinstance(reviews, list) or not reviews:
                yield f"claims[{i}]", ParseProblem("a claim without claimReview")
                continue
            for j, review in enumerate(reviews):
                yield f"claims[{i}].claimReview[{j}]", _guard(from_search, claim, review)
        return
    nodes = data.get("@graph") if isinstance(data, dict) and "@graph" in data else data
    for i, node in enumerate(_many(nodes)):
        if not isinstance(node, dict) or _type(node) != "ClaimReview":
            yield f"item {i}", ParseProblem("not a ClaimReview")
            continue
        yield f"item {i}", _guard(from_markup, node)


def _guard(read: Any, *nodes: Any) -> FactCheck | ParseProblem:
    try:
        found: FactCheck = read(*nodes)
    except ParseProblem as problem:
        return problem
    except (AttributeError, TypeError) as exc:
        return ParseProblem(f"unexpected shape: {exc}")
    return found
