"""Fact checks into the graph: claimant, checker, claim, documents and attributions.

For each review (claimreview_parse.py):

- the claim is found by its exact statement and language, else created;
- the fact-checker (the review's author or publisher) and the claimant are
  sources, found by name or alias (ignoring case), else created (a checker as a
  NEWS_OUTLET, a claimant as a PERSON when the markup says Person, else OTHER);
- the review is a document (by URL, else created) published by the checker; its
  rating becomes the checker's attribution of the claim there, with the stance
  and confidence of ratings.py, reported at the review date;
- the claimant's statement becomes the claimant's attribution (AFFIRMS, 1.0, at
  the claim date) in each appearance (documents by URL), or, without any, in the
  review itself, where the chain then reads checker > claimant.

Attributions are machine-made (method EXTRACTED, extractor `claimreview-import/1`):
suggestions until an editor confirms them. An attribution of the same claim by the
same source in the same document is never made twice, so a feed imported again
adds nothing. A review that cannot be read is reported by its place in the feed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.service import create_claim
from api.documents.service import NewDocument, create_document
from api.enums import Stance
from api.errors import DomainError, Problems
from api.ingest.language import detect_language
from api.interchange.claimreview_parse import FactCheck, ParseProblem, Party, fact_checks
from api.interchange.ratings import UnratedReview, stance_of
from api.provenance.service import NewAttribution, add_attribution
from api.sources.service import NewSource, create_source
from api.validation import MAX_TITLE_LENGTH, language_tag

EXTRACTOR = "claimreview-import/1"
FIND_SOURCE = """
SELECT id FROM source
WHERE lower(name) = lower(:name)
   OR EXISTS (SELECT 1 FROM unnest(aliases) a WHERE lower(a) = lower(:name))
ORDER BY lower(name) = lower(:name) DESC, id LIMIT 1
"""
FIND_CLAIM = """
SELECT id FROM claim WHERE statement = :statement AND language = :language
  AND merged_into_id IS NULL ORDER BY id LIMIT 1
"""
HAS_ATTRIBUTION = """
SELECT 1 FROM attribution WHERE claim_id = :claim AND document_id = :document
  AND source_id = :source
"""


@dataclass
class ClaimReviewReport:
    reviews: int = 0
    created: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        made = ", ".join(
            f"{self.created[k]} {k}" for k in ("sources", "documents", "claims", "attributions")
        )
        return f"{self.reviews} reviews read; created {made}; {len(self.errors)} skipped"


class ClaimReviewAborted(Exception):
    """A strict import met a review it could not take; nothing was written."""


class _Writer:
    def __init__(self, session: AsyncSession, report: ClaimReviewReport) -> None:
        self.session = session
        self.report = report

    async def source(self, who: Party) -> int:
        found = await self.session.scalar(text(FIND_SOURCE), {"name": who.name.strip()})
        if found is not None:
            return int(found)
        self.report.created["sources"] += 1
        return await create_source(self.session, NewSource(name=who.name.strip(), kind=who.kind))

    async def document(
        self,
        url: str,
        title: str,
        language: str,
        published_at: datetime | None,
        publisher: int | None,
    ) -> int:
        found = await self.session.scalar(
            text("SELECT id FROM document WHERE url = :u"), {"u": url}
        )
        if found is not None:
            return int(found)
        self.report.created["documents"] += 1
        new = NewDocument(
            title=title[:MAX_TITLE_LENGTH],
            language=language,
            url=url,
            published_at=published_at,
            publisher_id=publisher,
        )
        return await create_document(self.session, new)

    async def claim(self, statement: str, language: str) -> int:
        params = {"statement": statement.strip(), "language": language}
        found = await self.session.scalar(text(FIND_CLAIM), params)
        if found is not None:
            return int(found)
        self.report.created["claims"] += 1
        return await create_claim(self.session, statement=statement, language=language)

    async def attribute(self, new: NewAttribution) -> None:
        params = {"claim": new.claim_id, "document": new.document_id, "source": new.source_id}
        if await self.session.scalar(text(HAS_ATTRIBUTION), params) is None:
            self.report.created["attributions"] += 1
            await add_attribution(self.session, new)

    async def write(self, check: FactCheck) -> None:
        stance, confidence = stance_of(check.rating)
        language = _language(check)
        claim = await self.claim(check.statement, language)
        checker = await self.source(check.checker)
        title = check.review_title or f"{check.checker.name}: {check.statement}"
        review = await self.document(check.review_url, title, language, check.review_date, checker)
        await self.attribute(
            NewAttribution(
                claim_id=claim,
                document_id=review,
                source_id=checker,
                stance=stance,
                confidence=confidence,
                reported_at=check.review_date,
                extractor_version=EXTRACTOR,
            )
        )
        if check.claimant is None:
            return
        claimant = await self.source(check.claimant)
        places = [
            await self.document(a.url, a.title or a.url, language, a.published_at, None)
            for a in check.appearances
        ] or [review]
        for place in places:
            await self.attribute(
                NewAttribution(
                    claim_id=claim,
                    document_id=place,
                    source_id=claimant,
                    stance=Stance.AFFIRMS,
                    confidence=1.0,
                    reported_at=check.claim_date,
                    extractor_version=EXTRACTOR,
                )
            )


def _language(check: FactCheck) -> str:
    if check.language:
        tag = language_tag(Problems(), check.language, "language")
        if tag is not None:
            return tag
    return detect_language(check.statement)


async def import_claim_reviews(
    session: AsyncSession, data: object, *, strict: bool = False
) -> ClaimReviewReport:
    """Every review of a feed, each in a savepoint of the caller's transaction.

    A review that cannot be read or stored is reported and left out; with `strict`
    the first one raises ClaimReviewAborted (roll the transaction back).
    """
    report = ClaimReviewReport()
    writer = _Writer(session, report)
    for where, check in fact_checks(data):
        report.reviews += 1
        try:
            if isinstance(check, ParseProblem):
                raise check
            created = report.created.copy()
            try:
                async with session.begin_nested():
                    await writer.write(check)
            except BaseException:
                report.created = created
                raise
        except (ParseProblem, UnratedReview, DomainError) as problem:
            if strict:
                raise ClaimReviewAborted(f"{where}: {problem}") from problem
            report.errors.append((where, str(problem)))
    return report
