"""A claim as schema.org ClaimReview JSON-LD, for fact-check tools and search engines.

The reviewed item is the schema.org `Claim`: its `author` the origins of its
current reports (the last source of each chain: KCNA, or Jack Watling, or unnamed
sources), `appearance` every document that reports it, `firstAppearance` the
document of its earliest report and `datePublished` that report's time. The
review's rating is claimgraph's consensus (docs/confidence.md): `ratingValue`
from 0 (the sources deny it) to 1 (they affirm it), with its explanation.
"""

from __future__ import annotations

from typing import Any

from api.interchange.current import ClaimProvenance, claim_provenance, iso
from api.interchange.ids import encode_id
from api.provenance.claim_comparison import Comparison, comparisons
from api.repository import Executor

CONTEXT = "https://schema.org"
PEOPLE = {"PERSON"}


def party(source: Any) -> dict[str, Any]:
    """A source as a schema.org Person or Organization."""
    found: dict[str, Any] = {
        "@type": "Person" if source["kind"] in PEOPLE else "Organization",
        "identifier": encode_id("Source", source["id"]),
        "name": source["name"],
    }
    if source["aliases"]:
        found["alternateName"] = list(source["aliases"])
    return found


def creative_work(document: Any, publisher: Any | None) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "identifier": encode_id("Document", document["id"]),
        "headline": document["title"],
        "inLanguage": document["language"],
    }
    if document["url"] is not None:
        work["url"] = document["url"]
    if document["published_at"] is not None:
        work["datePublished"] = iso(document["published_at"])
    if publisher is not None:
        work["publisher"] = party(publisher)
    return work


def _rating(comparison: Comparison | None) -> dict[str, Any] | None:
    if comparison is None or comparison.report_count == 0:
        return None
    value = comparison.consensus_confidence
    name = "contested" if comparison.contested else ("supported" if value >= 0.5 else "disputed")
    return {
        "@type": "Rating",
        "ratingValue": round(value, 4),
        "bestRating": 1,
        "worstRating": 0,
        "alternateName": f"{name} by its sources",
        "ratingExplanation": comparison.explanation,
    }


def claim_review(found: ClaimProvenance, comparison: Comparison | None) -> dict[str, Any]:
    """The ClaimReview document of one claim (JSON-LD, compacted against schema.org)."""
    claim = found.claim
    works: dict[int, dict[str, Any]] = {}
    authors: dict[int, dict[str, Any]] = {}
    for report in found.reports:
        document = found.documents[report.row["document_id"]]
        if document["id"] not in works:
            publisher = found.sources.get(document["publisher_id"])
            works[document["id"]] = creative_work(document, publisher)
        authors.setdefault(report.origin_id, party(found.sources[report.origin_id]))
    item: dict[str, Any] = {
        "@type": "Claim",
        "identifier": encode_id("Claim", claim["id"]),
        "text": claim["statement"],
        "inLanguage": claim["language"],
    }
    if authors:
        item["author"] = list(authors.values())
    if found.reports:
        first = found.reports[0].row
        item["firstAppearance"] = works[first["document_id"]]
        if first["reported_at"] is not None:
            item["datePublished"] = iso(first["reported_at"])
        item["appearance"] = list(works.values())
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": encode_id("Claim", claim["id"]),
        "claimReviewed": claim["statement"],
        "inLanguage": claim["language"],
        "datePublished": claim["created_at"].date().isoformat(),
        "itemReviewed": item,
    }
    if (rating := _rating(comparison)) is not None:
        review["reviewRating"] = rating
    return review


async def export_claim_review(
    db: Executor, claim_id: int, *, include_suggested: bool = True
) -> dict[str, Any] | None:
    """The ClaimReview of a claim, or None when no claim has that id."""
    found = await claim_provenance(db, claim_id, include_suggested=include_suggested)
    if found is None:
        return None
    compared = await comparisons(db, [found.pk], include_suggested=include_suggested)
    return claim_review(found, compared.get(found.pk))
