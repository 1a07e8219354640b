"""From an attribution to the extracted claims: split, trim, hedge, count, normalise."""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.attribution import Attribution
from api.ingest.extract.clauses import split_claims
from api.ingest.extract.hedges import confidence_of, find_hedges
from api.ingest.extract.model import Extracted
from api.ingest.extract.quantities import best_quantity
from api.ingest.extract.quote_trim import trim
from api.ingest.extract.statement import clean, subject_of

_WORD: Final = re.compile(r"[^\W\d_]{2,}")


def build_claims(
    text: str, att: Attribution, language: str, kind: str = "STATEMENT"
) -> list[Extracted]:
    """One :class:`Extracted` per claim in the attribution's content."""
    start, end = att.content
    if att.anaphoric or att.headline or kind == "CAPTION":
        parts = [(start, end)]
    else:
        parts = split_claims(text, start, end, own_voice=att.source is None, language=language)
    parts += list(att.more)
    out: list[Extracted] = []
    unit: str | None = None
    subject = ""
    for a, b in parts:
        qa, qb = trim(text, a, b)
        if len(_WORD.findall(text, qa, qb)) < 2:
            continue
        claim = _claim(text, att, language, kind, qa, qb, unit, subject, first=a == start)
        if claim.quantity is not None and claim.quantity.unit is not None:
            unit = claim.quantity.unit
        subject = subject or subject_of(claim.statement)
        out.append(claim)
    return out


def _claim(
    text: str,
    att: Attribution,
    language: str,
    kind: str,
    qa: int,
    qb: int,
    unit: str | None,
    subject: str,
    *,
    first: bool,
) -> Extracted:
    hits = find_hedges(text, qa, qb, language)
    if att.anaphoric and att.denied_statement:
        statement = att.denied_statement
    else:
        statement = clean(
            text,
            qa,
            qb,
            cut=list(att.cut),
            hedges=hits,
            language=language,
            reported=att.reported,
            verb_first=att.verb_first and first,
            subject=subject,
        )
    return Extracted(
        statement=statement,
        quote=text[qa:qb],
        quote_start=qa,
        quote_end=qb,
        source=att.source,
        via=att.via,
        hedges=tuple(h.text for h in hits),
        confidence=confidence_of(hits),
        quantity=best_quantity(text, qa, qb, language, inherited_unit=unit),
        stance=att.stance,
        kind=kind,
        cue=att.cue,
    )
