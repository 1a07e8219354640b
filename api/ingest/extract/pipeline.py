"""The reading loop: paragraphs -> captions, headlines, sentences -> attributed claims.

One pass, left to right, with a small memory (:class:`Context`) for back-references and for
German reported speech that runs on in Konjunktiv I over several sentences.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from api.ingest.extract import frames_de, frames_en
from api.ingest.extract.attribution import Attribution, attribute
from api.ingest.extract.captions import caption
from api.ingest.extract.clauses import headline_claims
from api.ingest.extract.extracted_claims import build_claims
from api.ingest.extract.headlines import speaker_kicker
from api.ingest.extract.model import Extracted, SourceMention
from api.ingest.extract.named_sources import Context
from api.ingest.extract.segment import Span, paragraphs, sentences

_DATELINE: Final = re.compile(
    r"[A-ZÄÖÜ][\w.'’-]*(?:[ /][A-ZÄÖÜ][\w.'’-]*){0,3}(?:\s*\([^)\n]{1,40}\))?\s+[–—-]{1,2}\s+"
)
_CLOSING: Final = "\"'“”’»«›)] "


def rules_for(language: str) -> str | None:
    """ "de" or "en" rules for a BCP 47 tag; other languages get the English rules."""
    tag = (language or "").strip().casefold().replace("_", "-")
    if tag.startswith("de"):
        return "de"
    return "en" if tag else None


class Reader:
    """Reads one document and collects its attributions."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language
        self.ctx = Context()
        self.out: list[Extracted] = []
        self.last_sentence: list[int] = []  # indices in ``out`` of the sentence before
        self.detect = frames_de.detect if language == "de" else frames_en.detect

    def read(self) -> list[Extracted]:
        for para in paragraphs(self.text):
            self._paragraph(para)
        return self.out

    def _paragraph(self, para: Span) -> None:
        cap = caption(self.text, para.start, para.end)
        if cap is not None:
            self._caption(cap.start, cap.end, cap.source)
            return
        units = sentences(self.text, para)
        if len(units) == 1 and _is_headline(self.text, units[0]):
            self._headline(units[0])
            return
        for i, unit in enumerate(units):
            self._sentence(unit, first=i == 0)

    def _emit(self, claims: list[Extracted]) -> None:
        self.last_sentence = list(range(len(self.out), len(self.out) + len(claims)))
        self.out.extend(claims)

    def _caption(self, start: int, end: int, source: SourceMention) -> None:
        self.ctx.reported_source = None
        claims: list[Extracted] = []
        for unit in sentences(self.text, Span(start, end)):
            att = Attribution(source=source, content=(unit.start, unit.end), cue="©")
            claims += build_claims(self.text, att, self.language, kind="CAPTION")
        self._emit(claims)

    def _headline(self, unit: Span) -> None:
        """Headline parts are claims of the article, or of a source the headline names
        ("…, WHO says"; "Scholz: Keine Lieferung")."""
        att = attribute(
            self.text, unit.start, unit.end, self.language, self.ctx, self.detect, previous=None
        )
        self.ctx.reported_source = None
        if att.source is None or att.backref:
            att = Attribution(None, (unit.start, unit.end))
        parts = headline_claims(self.text, *att.content, self.language)
        if att.source is None:
            att = speaker_kicker(self.text, unit.start, unit.end, self.language, self.ctx, att)
        claims: list[Extracted] = []
        for a, b in parts:
            claims += build_claims(
                self.text, replace(att, content=(a, b), headline=True), self.language
            )
        self._emit(claims)

    def _sentence(self, unit: Span, *, first: bool) -> None:
        start, end = unit.start, unit.end
        if first:
            dateline = _DATELINE.match(self.text, start, min(end, start + 80))
            if dateline:
                start = dateline.end()
        if self.text[start:end].rstrip(_CLOSING).endswith("?") or end - start < 3:
            return
        att = attribute(
            self.text,
            start,
            end,
            self.language,
            self.ctx,
            self.detect,
            previous=self.out[-1] if self.out else None,
        )
        if att.backref:
            self._reattribute(att)
            return
        self._emit(build_claims(self.text, att, self.language))

    def _reattribute(self, att: Attribution) -> None:
        """ "Das teilte die Notenbank mit": the sentence before was the Notenbank's; what it
        already attributed, the new source reports in turn."""
        for i in self.last_sentence:
            claim = self.out[i]
            if claim.kind == "CAPTION" or att.source is None:
                continue
            via = () if claim.source is None else (claim.source, *claim.via)
            self.out[i] = replace(claim, source=att.source, via=via, cue=att.cue)


def _is_headline(text: str, unit: Span) -> bool:
    """A paragraph of one unit that does not end like a sentence, and is short."""
    body = text[unit.start : unit.end].rstrip(_CLOSING)
    return bool(body) and body[-1] not in ".!…:;" and unit.end - unit.start <= 250


def extract(text: str, language: str) -> list[Extracted]:
    """Every attribution in ``text``, in text order (see the package docstring)."""
    rules = rules_for(language)
    if rules is None or not text or not text.strip():
        return []
    claims = Reader(text, rules).read()
    return sorted(claims, key=lambda e: (e.quote_start, e.quote_end))
