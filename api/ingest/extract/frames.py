"""Attribution frames: where in a sentence the source is named and where the claim is.

A frame is found from its cue (a reporting verb, "wie … berichtete", ", so X", "laut",
"nach Angaben", "zufolge", "according to", "citing"), and only the words next to the cue are
examined, in windows of bounded length. That keeps every sentence linear in its length: no
pattern is tried at every position of a long text.

Two families:

* **Speech frames** (``frames_de``/``frames_en``): a reporting verb and its subject frame a
  clause ("…, teilte der Kreml mit"; "Kyodo berichtete unter Berufung auf …, Kim werde …";
  "The Kremlin said …"). The quote is the reported clause without the frame.
* **Prepositional frames** (here): "laut X", "nach Angaben X", "X zufolge", "according to X",
  and the via markers "unter Berufung auf X", "citing X". Inside the clause they stay in the
  quote (the gold convention: "nach Angaben des Kremls" is part of the quoted words) and are
  cut from the statement; set off by a comma at the start or end they are cut from the quote
  too ("According to the UN, …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from api.ingest.extract.lexicon import DE_NACH_NOUNS

NP, AFTER, BEFORE = "NP", "AFTER", "BEFORE"


@dataclass(frozen=True)
class Region:
    """Words that name a source, and how they relate to their cue (see ``mentions``)."""

    start: int
    end: int
    mode: str = NP


@dataclass(frozen=True)
class Frame:
    """A speech frame: source region, reported content, and what else it says."""

    cue: str
    source: Region | None
    content_start: int
    content_end: int
    via: tuple[Region, ...] = ()
    stance: str = "AFFIRMS"
    verb_first: bool = False  # the content starts with its finite verb ("drangen die …")
    anaphoric: bool = False  # a denial of what was said before ("wies die Vorwürfe zurück")
    cut: tuple[tuple[int, int], ...] = field(default=())  # spans to drop from the statement
    more: tuple[tuple[int, int], ...] = ()  # further claims of the same source ("adding that")
    backref: bool = False  # "Das teilte die Notenbank mit": attributes the sentence before


@dataclass(frozen=True)
class PrepFrame:
    """A prepositional frame inside a clause: cue span and source region."""

    cue: str
    cue_start: int
    cue_end: int
    region: Region
    is_via: bool
    comma_separated: bool


_NACH = "|".join(DE_NACH_NOUNS)
_DE_PREP: Final = re.compile(
    r"\b(?P<laut>[Ll]aut|[Gg]emäß)\s+"
    r"|\b(?P<nach>[Nn]ach\s+(?:(?:den|dem|der|einer|einem|eigenen|offiziellen|ersten|"
    rf"vorläufigen|jüngsten|neuesten|übereinstimmenden|bisherigen)\s+)*(?:{_NACH}))\b\s*"
    r"|\b[Nn]ach\s+(?P<compound>[A-ZÄÖÜ][a-zäöüß]{2,}?)(?:-|(?=[a-zäöüß]))"
    r"(?:[Aa]ngaben|[Ii]nformationen|[Ss]chätzungen|[Ee]rkenntnissen)\b"
    r"|\b(?P<zufolge>zufolge)\b"
    r"|\b(?P<via>(?:[Uu]nter|[Mm]it)\s+(?:Berufung|Verweis)\s+auf)\s+"
)
_EN_PREP: Final = re.compile(
    r"\b(?P<laut>[Aa]ccording to|[Pp]er)\s+(?!reports?\b|media reports?\b)"
    r"|\b(?P<via>[Cc]iting|[Qq]uoting)\s+"
)
_WINDOW: Final = 120


def prepositional_frames(text: str, start: int, end: int, language: str) -> list[PrepFrame]:
    """Prepositional frames in ``text[start:end]``, in text order."""
    pattern = _DE_PREP if language == "de" else _EN_PREP
    out: list[PrepFrame] = []
    for m in pattern.finditer(text, start, end):
        kind = m.lastgroup or ""
        if kind == "compound":
            region = Region(m.start("compound"), _without_linking_s(text, m), NP)
            cue_start = m.start()
        elif kind == "zufolge":
            region = Region(_clause_start(text, start, m.start()), m.start(), BEFORE)
            cue_start = region.start
        else:
            region = Region(m.end(), _clause_end(text, m.end(), end), AFTER)
            cue_start = m.start()
        if region.end <= region.start:
            continue
        comma = _comma_separated(text, start, end, cue_start, region, kind)
        out.append(PrepFrame(m.group().strip(), cue_start, m.end(), region, kind == "via", comma))
    return out


def _without_linking_s(text: str, m: re.Match[str]) -> int:
    """ "Regierungsangaben" -> "Regierung": the compound's linking -s is no part of the name."""
    end = m.end("compound")
    hyphen = text[end : end + 1] == "-"
    return end - 1 if not hyphen and text[end - 1] == "s" and end - m.start("compound") > 5 else end


_CLAUSE_MARK: Final = re.compile(r"[,;:](?=\s)")


def _clause_start(text: str, floor: int, at: int) -> int:
    """Start of the phrase before ``at``: after the last clause comma, at most _WINDOW back.

    A clause comma is followed by white space, so "2,6 Prozent" is no boundary.
    """
    lo = max(floor, at - _WINDOW)
    marks = list(_CLAUSE_MARK.finditer(text, lo, at))
    return marks[-1].end() if marks else lo


def _clause_end(text: str, at: int, ceiling: int) -> int:
    """End of the phrase after ``at``: the next clause comma, at most _WINDOW ahead."""
    hi = min(ceiling, at + _WINDOW)
    mark = _CLAUSE_MARK.search(text, at, hi)
    return mark.start() if mark else hi


def _comma_separated(
    text: str, start: int, end: int, cue_start: int, region: Region, kind: str
) -> bool:
    """ "According to X, …" or "…, according to X.": the frame stands apart from the claim."""
    if kind == "zufolge" or kind == "via":
        return False
    before = text[start:cue_start].strip()
    after = text[region.end : end].strip(' .!?"“”»«')
    at_start = not before and text[region.end : region.end + 1] == ","
    at_end = before.endswith(",") and not after
    return at_start or at_end


WONACH: Final = re.compile(
    r",\s*(?P<cue>wonach|demzufolge|denen zufolge|dem zufolge|nach denen|nach dem)\s"
)


def wonach_frame(text: str, start: int, end: int) -> Frame | None:
    """ "Einschätzungen der US-Geheimdienste, wonach Russland …": the source precedes."""
    for m in WONACH.finditer(text, start, end):
        region = Region(_clause_start(text, start, m.start()), m.start(), BEFORE)
        if region.end - region.start < 3:
            continue
        return Frame(m.group("cue"), region, m.start("cue"), end)
    return None
