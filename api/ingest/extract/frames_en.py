"""English speech frames.

* trailing: "…, Reuters reported on Wednesday, citing three officials." / "…," Hrytsenko
  told the AP. / "…, said Rachel Dunmore, a senior adviser at CSIS." / "…, the officials said."
* leading: "The Kremlin said (that) …" / "Germany announced on Monday that …" / "The
  Pentagon denied a media report that …" / "TASS quoted a Kremlin official as saying that …"
  / "Analysts believe Russia can …" (a reporting verb that takes a bare clause).

"that" is optional after verbs that take a bare clause (``EN_BARE_CLAUSE``); the subject
must then resolve to a source, which keeps ordinary sentences ("The report said nothing")
from being read as frames only when their subject is not a source.
"""

from __future__ import annotations

import re
from typing import Final

from api.ingest.extract.frames import Frame, Region
from api.ingest.extract.lexicon import EN_BARE_CLAUSE, EN_DENIAL, EN_SPEECH

_VERB_ALT = "|".join(sorted(EN_SPEECH | EN_DENIAL, key=len, reverse=True))
_BARE_ALT = "|".join(sorted(EN_BARE_CLAUSE, key=len, reverse=True))
_END = r"[\s.!?\"“”’)]*"
_TIME = (
    r"(?:\s+(?:on|last|this|late|early|earlier)\s+(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|week|month|year|night|evening|morning|weekend))?"
)

# What may follow a trailing "X said": when, where, to whom, and participle clauses
# ("citing …", "adding that …"); anything else means the verb began a clause of its own.
_TAIL: Final = re.compile(
    r"(?:\s+(?:on|in|at|last|this|late|early|earlier|later|told|to|after|during|from|via)\b"
    r"[^,]{0,80})?(?:,?\s*(?:[a-z]+ing|according)\b.*)?\s*",
    re.DOTALL,
)
# An adverbial that may open the sentence before the speaker ("In Britain, the agency said").
_OPENER = (
    r"(?:(?:In|On|At|Meanwhile|Separately|Earlier|Later|However|Also|Still)\b[^,;:\"“”]{0,40},\s+)?"
)
_TRAIL_COMMA: Final = re.compile(r",[\"”’]?\s+")
_TRAIL_SUBJECT: Final = re.compile(
    rf"(?P<region>[^\"“”]{{1,150}}?)\s+(?P<verb>{_VERB_ALT})\b(?P<tail>.{{0,200}}?){_END}",
    re.DOTALL,
)
_TRAIL_INVERTED: Final = re.compile(
    rf"(?P<verb>said|says|added|told|reported|wrote|noted|warned)\s+(?P<region>.{{1,220}}?){_END}",
    re.DOTALL,
)
_LEAD_THAT: Final = re.compile(
    rf"{_OPENER}(?P<region>[^,;:\"“”]{{1,150}}?(?:,[^,;:\"“”]{{1,150}}?,)?)\s+(?P<verb>{_VERB_ALT})\b"
    rf"(?P<tail>[^,;:\"“”]{{0,150}}?)\s*(?:\b(?P<that>that)\b|(?P<punct>[,:])(?=\s))\s*"
)
_LEAD_BARE: Final = re.compile(
    rf"{_OPENER}(?P<region>[^,;:\"“”]{{1,120}}?(?:,[^,;:\"“”]{{1,150}}?,)?)\s+(?P<verb>{_BARE_ALT})"
    rf"{_TIME}\s+(?=[A-Za-z\"“])"
)
_LEAD_DENIAL_ONLY: Final = re.compile(
    rf"(?P<region>[^,;:\"“”]{{1,150}}?)\s+(?P<verb>{'|'.join(sorted(EN_DENIAL))})\s+"
    rf"(?P<tail>(?:the|these|those|this|such|all|any|media|press)\b[^,;:]{{0,100}}?){_END}$"
)
_CITING: Final = re.compile(r"\b(?:citing|quoting)\s+")
_ADDING: Final = re.compile(r",?\s*\b(?:adding|warning|saying)(?:\s+that)?\s+")
_LEAD_OBJECT: Final = re.compile(
    r"(?P<region>[^,;:\"“”]{1,150}?)\s+(?P<verb>estimated|estimates|estimate|put|puts|"
    r"described|describes)\s+[^,;:]{1,120}?\s(?:at\s+(?:about\s+|some\s+|around\s+)?[$€£]?\d"
    r"|as\s)"
)
_AS_SAYING: Final = re.compile(r"\bas saying\b")
_LOOKAHEAD: Final = 500


def detect(text: str, start: int, end: int) -> Frame | None:
    """The speech frame of the English sentence ``text[start:end]``, if any."""
    return _trailing(text, start, end) or _leading(text, start, end)


def _trailing(text: str, start: int, end: int) -> Frame | None:
    commas = list(_TRAIL_COMMA.finditer(text, max(start, end - 320), end))
    for m in reversed(commas[-4:]):
        if m.start() - start < 8:
            continue
        found = _TRAIL_SUBJECT.fullmatch(text, m.end(), end)
        if (
            found
            and _plausible_subject(found.group("region"))
            and (
                found.group("verb") in {"told", "tells"}
                or _TAIL.fullmatch(text, found.start("tail"), found.end("tail"))
            )
        ):
            via = _citing(text, found.start("tail"), found.end("tail"))
            adding = _ADDING.search(text, found.start("tail"), found.end("tail"))
            more = ((adding.end(), found.end("tail")),) if adding else ()
            return Frame(
                found.group("verb"),
                Region(found.start("region"), found.end("region")),
                start,
                m.start() + (1 if text[m.start() + 1 : m.end()].strip() else 0),
                via=via,
                stance=_stance(found.group("verb")),
                more=more,
            )
        inverted = _TRAIL_INVERTED.fullmatch(text, m.end(), end)
        if inverted and _plausible_inverted(inverted.group("region")):
            return Frame(
                inverted.group("verb"),
                Region(inverted.start("region"), inverted.end("region")),
                start,
                m.start() + (1 if text[m.start() + 1 : m.end()].strip() else 0),
            )
    return None


def _plausible_subject(region: str) -> bool:
    """A trailing subject is a short noun phrase, not a clause of its own."""
    words = region.split()
    return 0 < len(words) <= 14 and not region.rstrip().endswith(",")


def _plausible_inverted(region: str) -> bool:
    """ "…, said Rachel Dunmore, a senior adviser …", not "…, said on Tuesday that …"."""
    first = region.split()[0] if region.split() else ""
    head = region.split(",")[0].split()
    return (
        (first[:1].isupper() or first in {"a", "an", "the"})
        and " that " not in region
        and len(head) <= 8
    )


def _leading(text: str, start: int, end: int) -> Frame | None:
    window = end if end - start <= _LOOKAHEAD else start + _LOOKAHEAD
    denial = _LEAD_DENIAL_ONLY.match(text, start, end) if end - start <= 300 else None
    if denial:
        return Frame(
            denial.group("verb"),
            Region(denial.start("region"), denial.end("region")),
            start,
            end,
            stance="DENIES",
            anaphoric=True,
        )
    m = _LEAD_THAT.match(text, start, window)
    if m and len(m.group("tail").split()) > (8 if m.group("that") else 4):
        m = None  # the verb's own clause, not "said on Tuesday," / "told reporters that"
    if m:
        verb = m.group("verb")
        via = _citing(text, m.start("region"), m.end("region"))
        region_end = via[0].start - len("citing ") if via else m.end("region")
        if verb == "quoted":
            saying = _AS_SAYING.search(text, m.start("tail"), m.end("tail"))
            if saying:
                via = (Region(m.start("tail"), saying.start()),)
        content = m.start("that") if m.group("that") else m.end()
        return Frame(
            verb, Region(m.start("region"), region_end), content, end, via=via, stance=_stance(verb)
        )
    bare = _LEAD_BARE.match(text, start, window)
    if bare:
        return Frame(
            bare.group("verb"),
            Region(bare.start("region"), bare.end("region")),
            bare.end(),
            end,
            stance=_stance(bare.group("verb")),
        )
    obj = _LEAD_OBJECT.match(text, start, window)
    if obj:
        return Frame(obj.group("verb"), Region(obj.start("region"), obj.end("region")), start, end)
    return None


def _citing(text: str, start: int, end: int) -> tuple[Region, ...]:
    found = _CITING.search(text, start, end)
    if found is None:
        return ()
    stop = text.find(",", found.end(), end)
    return (Region(found.end(), stop if stop >= 0 else end),)


def _stance(verb: str) -> str:
    return "DENIES" if verb in EN_DENIAL else "AFFIRMS"
