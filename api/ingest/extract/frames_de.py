"""German speech frames.

* trailing: "…, wie die Agentur am Donnerstag berichtete." / "…, teilte der Kreml mit." /
  "…, so Jack Watling, …" / "…, hieß es in einer Mitteilung des Unternehmens."
* leading: "Wie dpa aus Sicherheitskreisen erfuhr, drangen …" / "Kyodo berichtete unter
  Berufung auf ungenannte Quellen, Kim werde …" / "Am Mittwoch sagte Peskow, …" /
  "Die HHLA dementierte Berichte, wonach …" / "Die Botschaft wies die Vorwürfe zurück."

Each verb's separable particle must be present when the lexicon asks for one ("teilte …
mit"), and a verb whose clause ends in another particle ("sagte die Reise ab") is no speech.
"""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.frames import Frame, Region
from api.ingest.extract.lexicon import DE_ADVERBIAL_OPENERS, DE_DENIAL, DE_SPEECH, DE_SPEECH_FINAL

_VERBS: Final = {**DE_SPEECH, **DE_DENIAL}
_VERB_ALT = "|".join(sorted(_VERBS, key=len, reverse=True))
_FINAL_ALT = "|".join(sorted(DE_SPEECH_FINAL, key=len, reverse=True))
_PARTICLES = "mit|hinzu|an|ein|zurück|hervor|davon aus"
_FOREIGN_PARTICLES: Final = re.compile(r"\b(?:ab|zu|auf|vor|aus|fest|durch|nach|bei)\s*$")
_CLAUSE_STARTS: Final = re.compile(
    r"(?:weil|da|obwohl|nachdem|um|als|wenn|bevor|sobald|damit|sodass|so dass|und|aber)\b"
)
_END = r"[\s.!?\"“”»«)]*"

_TRAIL: Final = re.compile(rf"[,“\"]\s*(?:(?P<wie>wie)\s+|(?P<verb>{_VERB_ALT}|so)\s+)")
_TRAIL_WIE: Final = re.compile(rf"(?P<region>[^,]{{1,200}}?)\s+(?P<verb>{_FINAL_ALT}){_END}")
_TRAIL_VERB: Final = re.compile(
    rf"(?P<region>.{{0,250}}?)(?:\s+(?P<particle>{_PARTICLES}))?{_END}", re.DOTALL
)
_LEAD_WIE: Final = re.compile(rf"Wie\s+(?P<region>[^,]{{1,200}}?)\s+(?P<verb>{_FINAL_ALT})\s*,\s*")
_LEAD_SUBJECT: Final = re.compile(
    rf"(?P<region>[^,.:;!?]{{1,150}}?(?:,[^,.:;!?]{{1,150}}?,)?)\s+(?P<verb>{_VERB_ALT})\b"
    rf"(?P<tail>[^,:;„“\"]{{0,150}}?)\s*(?:(?P<punct>[,:])(?=\s)\s*|(?P<end>{_END}$))"
)
_LEAD_INVERTED: Final = re.compile(
    rf"(?P<adv>[A-ZÄÖÜ]\w*\b[^,:;]{{0,80}}?)\s+(?P<verb>{_VERB_ALT})\s+"
    rf"(?P<region>[^,:;„“\"]{{1,150}}?)(?:\s+(?P<particle>{_PARTICLES}))?\s*(?P<punct>[,:])(?=\s)\s*"
)
# Reporting verbs that take an object, not a clause: the whole sentence is the claim
# ("… sprach von einer „Jahrhundertflut“", "Der GDV schätzt die Schäden auf 1,2 Mrd. Euro").
_LEAD_OBJECT: Final = re.compile(
    r"(?P<region>[^,.:;!?„“\"]{1,150}?(?:,[^,.:;!?]{1,150}?,)?)\s+"
    r"(?:(?P<verb>sprach|sprachen|spricht|sprechen)\s+von\s"
    r"|(?P<estimate>schätzt|schätzte|schätzen|schätzten|beziffert|bezifferte|bezifferten)"
    r"\s[^,;:]{1,150}?\bauf\s+(?:\w+\s+){0,2}\d)"
)
# "Das teilte die Notenbank mit.", "Das ergab eine Umfrage der Agentur Reuters.": the sentence
# only names the source of the sentence before it.
_BACKREF: Final = re.compile(
    rf"(?:Das|Dies)\s+(?P<verb>{_VERB_ALT}|ergab|ergaben|ergibt|zeigt|zeigte|zeigen|zeigten|"
    rf"geht|ging)\s+(?:aus\s+)?(?P<region>[^,;:]{{1,150}}?)"
    rf"(?:\s+(?P<particle>{_PARTICLES}|hervor))?{_END}"
)
_VIA_IN: Final = re.compile(r"\b(?:unter|mit)\s+(?:Berufung|Verweis)\s+auf\s+|\baus\s+")
_LOOKAHEAD: Final = 500


def detect(text: str, start: int, end: int) -> Frame | None:
    """The speech frame of the German sentence ``text[start:end]``, if any."""
    return _backref(text, start, end) or _leading(text, start, end) or _trailing(text, start, end)


def _backref(text: str, start: int, end: int) -> Frame | None:
    m = _BACKREF.fullmatch(text, start, end) if end - start <= 250 else None
    if m is None:
        return None
    need = _VERBS.get(m.group("verb"), "")
    if need and m.group("particle") != need:
        return None
    region = Region(m.start("region"), m.end("region"))
    return Frame(m.group("verb"), region, start, start + 3, backref=True)


def _trailing(text: str, start: int, end: int) -> Frame | None:
    matches = list(_TRAIL.finditer(text, max(start, end - 320), end))
    for m in reversed(matches[-3:]):
        content_end = m.start() + (1 if text[m.start()] in '“"' else 0)
        if content_end - start < 8:
            continue
        if m.group("wie"):
            found = _TRAIL_WIE.fullmatch(text, m.end(), end)
            if found:
                region, via = _split_via(text, found.start("region"), found.end("region"))
                return Frame(found.group("verb"), region, start, content_end, via=via)
            continue
        frame = _trailing_verb(text, m, start, content_end, end)
        if frame is not None:
            return frame
    return None


def _trailing_verb(
    text: str, m: re.Match[str], start: int, content_end: int, end: int
) -> Frame | None:
    verb = m.group("verb")
    found = _TRAIL_VERB.fullmatch(text, m.end(), end)
    if found is None:
        return None
    need = _VERBS.get(verb, "")
    if need and found.group("particle") != need:
        return None
    region = Region(found.start("region"), found.end("region"))
    words = text[region.start : region.end].split()
    if verb == "so" and (not words or words[0] in {"dass", "daß", "wie", "weit", "lange"}):
        return None
    if not words and verb not in {"hieß", "heißt"}:
        return None
    stance = "DENIES" if verb in DE_DENIAL else "AFFIRMS"
    return Frame(verb, region, start, content_end, stance=stance)


def _leading(text: str, start: int, end: int) -> Frame | None:
    window = min(end, start + _LOOKAHEAD)
    wie = _LEAD_WIE.match(text, start, window)
    if wie:
        region, via = _split_via(text, wie.start("region"), wie.end("region"))
        return Frame(wie.group("verb"), region, wie.end(), end, via=via, verb_first=True)
    return (
        _subject_first(text, start, end, window)
        or _inverted(text, start, end, window)
        or _object(text, start, end, window)
    )


def _object(text: str, start: int, end: int, window: int) -> Frame | None:
    m = _LEAD_OBJECT.match(text, start, end if end - start <= _LOOKAHEAD else window)
    if m is None or m.group("region")[:1].islower():
        return None
    verb = m.group("verb") or m.group("estimate")
    return Frame(verb, Region(m.start("region"), m.end("region")), start, end)


def _subject_first(text: str, start: int, end: int, window: int) -> Frame | None:
    m = _LEAD_SUBJECT.match(text, start, end if end - start <= _LOOKAHEAD else window)
    if m is None or m.group("region")[:1].islower():
        return None
    if m.group("region").split()[0].casefold() in DE_ADVERBIAL_OPENERS:
        return None  # "Am Mittwoch sagte …": an adverbial, the subject follows the verb
    verb, tail = m.group("verb"), m.group("tail").strip()
    need = _VERBS.get(verb, "")
    if need and not tail.endswith(need):
        return None
    if not need and _FOREIGN_PARTICLES.search(tail):
        return None
    stance = "DENIES" if verb in DE_DENIAL else "AFFIRMS"
    via = _via_in_tail(text, m.start("tail"), m.end("tail"), need)
    region = Region(m.start("region"), m.end("region"))
    if m.group("end") is not None:
        if stance != "DENIES":
            return None
        return Frame(verb, region, start, end, stance=stance, anaphoric=True)
    if _CLAUSE_STARTS.match(text, m.end(), end):
        return None
    return Frame(verb, region, m.end(), end, via=via, stance=stance)


def _inverted(text: str, start: int, end: int, window: int) -> Frame | None:
    m = _LEAD_INVERTED.match(text, start, window)
    if m is None or m.group("adv").split()[0].casefold() not in DE_ADVERBIAL_OPENERS:
        return None
    verb = m.group("verb")
    need = _VERBS.get(verb, "")
    if need and m.group("particle") != need:
        return None
    if _CLAUSE_STARTS.match(text, m.end(), end):
        return None
    via: tuple[Region, ...] = ()
    adv = _VIA_IN.search(text, m.start("adv"), m.end("adv"))
    if adv and adv.group().strip().startswith(("unter", "Unter", "mit", "Mit")):
        via = (Region(adv.end(), m.end("adv")),)
    stance = "DENIES" if verb in DE_DENIAL else "AFFIRMS"
    region, inner_via = _split_via(text, m.start("region"), m.end("region"))
    return Frame(verb, region, m.end(), end, via=via + inner_via, stance=stance)


def _via_in_tail(text: str, start: int, end: int, particle: str) -> tuple[Region, ...]:
    """ "berichtete unter Berufung auf ungenannte Quellen, …": the cited sources."""
    found = _VIA_IN.search(text, start, end)
    if found is None or found.group().strip() == "aus":
        return ()
    stop = end - len(particle) if particle and text[start:end].rstrip().endswith(particle) else end
    return (Region(found.end(), stop),)


def _split_via(text: str, start: int, end: int) -> tuple[Region, tuple[Region, ...]]:
    """ "die Deutsche Presse-Agentur aus Sicherheitskreisen": source, then whom it heard."""
    found = _VIA_IN.search(text, start, end)
    if found is None:
        return Region(start, end), ()
    return Region(start, found.start()), (Region(found.end(), end),)
