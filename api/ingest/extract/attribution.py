"""Who says a sentence's claim, through whom, and with which stance.

Order of evidence, strongest first:

1. a speech frame (reporting verb with its subject), and inside its content one more
   leading frame, whose source becomes the first ``via`` ("IRNA: Iran's foreign ministry
   denied that …"), so chains nest one level deep;
2. prepositional frames in the claim ("laut", "nach Angaben", "zufolge", "according to");
   under a speech frame they are ``via`` ("…, so Jack Watling" over "westlichen Schätzungen
   zufolge"), and "unter Berufung auf"/"citing" always are;
3. German Konjunktiv I with no frame of its own continues the reported speech of the
   sentence before ("Erst am Nachmittag habe der Betrieb …");
4. otherwise the article's own voice (source None).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from api.ingest.extract import frames_de, frames_en
from api.ingest.extract.frames import AFTER, Frame, Region, prepositional_frames, wonach_frame
from api.ingest.extract.gazetteer import stem
from api.ingest.extract.lexicon import KONJUNKTIV_I, KONJUNKTIV_II_REPORTED
from api.ingest.extract.mentions import resolve
from api.ingest.extract.model import Extracted, SourceMention
from api.ingest.extract.named_sources import Context, relocate
from api.ingest.extract.nouns import SPOKES_NOUNS
from api.ingest.extract.quote_trim import trim
from api.ingest.extract.scan import scan

Detector = Callable[[str, int, int], Frame | None]

_FALSE: Final = re.compile(
    r"(?:that|this|the|those|these|such|das|dies|diese[rsn]?|der|die)\b[^,.;]{0,40}?\b"
    r"(?:is|was|are|were|ist|sei|war|sind|seien)\s+(?:\w+\s+)?(?:false|untrue|wrong|baseless|"
    r"fake|nonsense|falsch|unwahr|haltlos|erfunden|gelogen|unbegründet)\b",
    re.IGNORECASE,
)
_WORD: Final = re.compile(r"[^\W\d_]+")
_COMMA: Final = re.compile(r",(?=\s)")


@dataclass(frozen=True)
class Attribution:
    """The attribution of one sentence (or caption, or headline part)."""

    source: SourceMention | None
    content: tuple[int, int]
    via: tuple[SourceMention, ...] = ()
    stance: str = "AFFIRMS"
    cue: str | None = None
    cut: tuple[tuple[int, int], ...] = ()
    reported: bool = False
    verb_first: bool = False
    denied_statement: str | None = None
    anaphoric: bool = False
    headline: bool = False
    more: tuple[tuple[int, int], ...] = ()
    backref: bool = False


def attribute(
    text: str,
    start: int,
    end: int,
    language: str,
    ctx: Context,
    detect: Detector,
    previous: Extracted | None,
) -> Attribution:
    """The attribution of the sentence ``text[start:end]``."""
    scan(text, start, end, ctx)
    frame = detect(text, start, end)
    if frame is None and language == "de":
        frame = wonach_frame(text, start, end)
    source = _frame_source(text, frame, language, ctx) if frame else None
    if frame is not None and source is None and frame.cue not in {"hieß", "heißt"}:
        frame = None
    att = (
        _from_frame(text, frame, source, start, end, language, ctx)
        if frame
        else Attribution(None, (start, end))
    )
    if att.backref:
        return _settle(att, ctx)
    att = _prepositional(text, att, language, ctx)
    if att.source is None and language == "de" and _continues_reported(text, att, ctx):
        att = replace(
            att, source=ctx.reported_source, via=ctx.reported_via, cue="Konjunktiv I", reported=True
        )
    att = _denial_of_previous(text, att, previous)
    return _settle(att, ctx)


def _frame_source(text: str, frame: Frame, language: str, ctx: Context) -> SourceMention | None:
    if frame.source is None:
        return None
    found = resolve(text, frame.source.start, frame.source.end, language, ctx, frame.source.mode)
    if found is None and frame.cue in {"hieß", "heißt"}:
        return ctx.reported_source
    if found is None and _names_a_role(text, frame.source):
        found = _institution_in_focus(text, frame, language, ctx)
    return found


def _names_a_role(text: str, region: Region) -> bool:
    """ "eine Sprecherin", "a spokesman": a role whose body the sentence leaves implicit."""
    return any(stem(w) in SPOKES_NOUNS for w in _WORD.findall(text, region.start, region.end))


def _institution_in_focus(
    text: str, frame: Frame, language: str, ctx: Context
) -> SourceMention | None:
    """The body a bare spokesperson speaks for: the one the claim is about ("The airline is
    offering …, a spokesman confirmed"), else the last one named."""
    head_end = min(frame.content_end, frame.content_start + 60)
    subject = resolve(text, frame.content_start, head_end, language, ctx, AFTER)
    if subject is not None and subject.kind not in {"PERSON", "ANONYMOUS"}:
        return (
            relocate(subject, text, frame.source.start, frame.source.end)
            if frame.source
            else subject
        )
    found = ctx.last(lambda m: m.kind not in {"PERSON", "ANONYMOUS"})
    if found is None or frame.source is None:
        return found
    return relocate(found, text, frame.source.start, frame.source.end)


def _from_frame(
    text: str,
    frame: Frame,
    source: SourceMention | None,
    start: int,
    end: int,
    language: str,
    ctx: Context,
) -> Attribution:
    via = _resolve_all(text, frame.via, language, ctx)
    att = Attribution(
        source,
        (frame.content_start, frame.content_end),
        via,
        frame.stance,
        frame.cue,
        reported=True,
        verb_first=frame.verb_first,
        anaphoric=frame.anaphoric,
        more=frame.more,
        backref=frame.backref,
    )
    if frame.anaphoric:
        return replace(att, content=(start, end))
    if frame.backref:
        return att
    return _inner(text, att, language, ctx)


def _inner(text: str, att: Attribution, language: str, ctx: Context) -> Attribution:
    """ "Iran's foreign ministry denied that …, IRNA said": the quoted source's own frame."""
    detect = frames_de.detect if language == "de" else frames_en.detect
    inner = detect(text, *att.content)
    if inner is None or inner.content_start <= att.content[0] or inner.anaphoric:
        return att
    inner_source = _frame_source(text, inner, language, ctx)
    if inner_source is None:
        return att
    via = (*att.via, inner_source, *_resolve_all(text, inner.via, language, ctx))
    stance = "DENIES" if "DENIES" in (att.stance, inner.stance) else "AFFIRMS"
    return replace(
        att,
        content=(inner.content_start, inner.content_end),
        via=via,
        stance=stance,
        verb_first=inner.verb_first,
    )


def _resolve_all(
    text: str, regions: tuple[Region, ...], language: str, ctx: Context
) -> tuple[SourceMention, ...]:
    found = (resolve(text, r.start, r.end, language, ctx, r.mode) for r in regions)
    return tuple(m for m in found if m is not None)


def _prepositional(text: str, att: Attribution, language: str, ctx: Context) -> Attribution:
    """Sources named by "laut", "nach Angaben", "zufolge", "according to", "citing"."""
    start, end = att.content
    source, via, cut, cue = att.source, list(att.via), list(att.cut), att.cue
    for prep in prepositional_frames(text, start, end, language):
        found = resolve(text, prep.region.start, prep.region.end, language, ctx, prep.region.mode)
        if found is None:
            continue
        lo = prep.cue_start if prep.region.mode == AFTER else (found.start or prep.region.start)
        hi = (found.end or prep.region.end) if prep.region.mode == AFTER else prep.cue_end
        if prep.comma_separated:
            start, end = _outside(text, start, end, lo, hi)
        else:
            cut.append((lo, hi))
        if source is None and not prep.is_via:
            source, cue = found, prep.cue
        else:
            via.append(found)
    return replace(
        att,
        source=source,
        via=tuple(via),
        cut=tuple(cut),
        cue=cue,
        content=(start, end),
        reported=att.reported or source is not None,
    )


def _outside(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Exclude a comma-separated frame at the start or the end of the content."""
    if lo - start <= 2:
        after = _COMMA.search(text, hi, end)
        return (after.end() if after else hi), end
    before = [m.start() for m in _COMMA.finditer(text, start, lo)]
    return start, (before[-1] if before else lo)


def _continues_reported(text: str, att: Attribution, ctx: Context) -> bool:
    """A sentence in Konjunktiv I right after reported speech is still reported."""
    if ctx.reported_source is None:
        return False
    words = {w for w in _WORD.findall(text, *att.content)}
    return bool(words & KONJUNKTIV_I) or bool(words & KONJUNKTIV_II_REPORTED)


def _denial_of_previous(text: str, att: Attribution, previous: Extracted | None) -> Attribution:
    """ "Die Botschaft wies die Vorwürfe zurück", "That report is false": the claim denied
    is the one reported just before."""
    start, end = trim(text, *att.content)
    anaphoric = att.anaphoric or _FALSE.fullmatch(text[start:end].rstrip(".!")) is not None
    if not anaphoric:
        return att
    denied = previous.statement if previous is not None else None
    return replace(att, stance="DENIES", anaphoric=True, denied_statement=denied)


def _settle(att: Attribution, ctx: Context) -> Attribution:
    """Name anonymous sources after whoever cites them, and remember what was read."""
    via = att.via
    if att.source is not None:
        via = tuple(_cited_by(v, att.source) for v in via)
        ctx.remember(att.source)
    for v in via:
        ctx.remember(v)
    ctx.reported_source = att.source
    ctx.reported_via = via
    return replace(att, via=via)


def _cited_by(mention: SourceMention, citer: SourceMention) -> SourceMention:
    """ "Ungenannte Quellen (Kyodo)": unnamed sources only mean something relative to who
    quotes them (the curated demo's convention)."""
    if mention.kind != "ANONYMOUS" or "(" in mention.name:
        return mention
    return replace(mention, name=f"{mention.name} ({citer.name})")
