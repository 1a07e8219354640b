"""Photo captions and their credit lines.

"… beim Besuch des Kosmodroms von Wostotschny. © Artem Geodakyan/Imago", "… im Hamburger
Hafen. Foto: Marcus Brandt/dpa", "… on Tuesday. (AP Photo/Daniel Kress)", "… near Bakhmut.
Photo: Reuters/Anna Voitenko". The gold convention (``api/demo/curated.py``): the caption's
source is the credited photographer, a PERSON affiliated with the agency; a credit that
names only an agency ("Foto: dpa") makes the agency the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from api.ingest.extract.gazetteer import find, qualified_name, tokens
from api.ingest.extract.model import SourceMention

_CREDIT: Final = re.compile(
    r"(?:(?:©|\(c\)|Copyright)\s*|(?<![\w-])(?:Foto|Fotos|Bild|Bilder|Photo|Photos|Picture|"
    r"Image|Credit|Bildquelle)\s*:\s*)(?P<credit>[^\n©:]{2,120}?)\s*$"
    r"|\((?P<agency>[A-Z][\w.&-]*(?: [A-Z][\w.&-]*)?) Photos?\s*/\s*(?P<person>[^)\n]{2,60})\)\s*$"
    r"|(?<=\s)(?P<wire>REUTERS|AFP|EPA|AP|dpa|IMAGO)\s*/\s*(?P<wire_person>[A-Z][^\n/]{2,60}?)\s*$"
)
_NAME: Final = re.compile(
    r"[A-ZÄÖÜ][\w'’.-]+(?:\s+(?:von|van|de|da|al|bin|[A-ZÄÖÜ][\w'’.-]+))"
    r"{1,3}"
)
_TAIL: Final = 200  # a credit sits at the end of the paragraph


@dataclass(frozen=True)
class Caption:
    """A caption: the span of its text and the credited source."""

    start: int
    end: int
    source: SourceMention


def caption(text: str, start: int, end: int) -> Caption | None:
    """The caption in paragraph ``text[start:end]``, if it ends with a photo credit."""
    m = _CREDIT.search(text, max(start, end - _TAIL), end)
    if m is None:
        return None
    if m.group("credit") is not None:
        source = _from_credit(text, m.start("credit"), m.end("credit"))
    elif m.group("agency") is not None:
        source = _photographer(
            text, m.start("person"), m.end("person"), m.start("agency"), m.end("agency")
        )
    else:
        source = _photographer(
            text, m.start("wire_person"), m.end("wire_person"), m.start("wire"), m.end("wire")
        )
    if source is None:
        return None
    return Caption(start, m.start(), source)


def _from_credit(text: str, start: int, end: int) -> SourceMention | None:
    """ "Artem Geodakyan/Imago", "Reuters/Anna Voitenko", "picture alliance/dpa/Kay Nietfeld"."""
    parts = _parts(text, start, end)
    if not parts:
        return None
    agencies = [p for p in parts if _agency(text, *p) is not None and not _is_person(text, *p)]
    people = [p for p in parts if _is_person(text, *p) and p not in agencies]
    if people:
        agency = agencies[0] if agencies else None
        return _photographer(
            text,
            people[-1][0],
            people[-1][1],
            agency[0] if agency else None,
            agency[1] if agency else None,
        )
    first = agencies[0] if agencies else parts[0]
    return _agency(text, *first) or _unknown_agency(text, *first)


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in re.finditer(r"\s*[/|,]\s*", text[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _is_person(text: str, start: int, end: int) -> bool:
    words = text[start:end].split()
    return (
        _NAME.fullmatch(text[start:end].strip()) is not None
        and 2 <= len(words) <= 4
        and _agency(text, start, end) is None
    )


def _agency(text: str, start: int, end: int) -> SourceMention | None:
    toks = tokens(text, start, end)
    hits = find(toks)
    if not hits:
        return None
    hit = hits[0]
    kind = (
        hit.entry.kind
        if hit.entry.kind in {"PHOTO_AGENCY", "NEWS_AGENCY", "NEWS_OUTLET"}
        else "PHOTO_AGENCY"
    )
    return SourceMention(
        qualified_name(hit), text[start:end], kind, hit.entry.aliases, start=start, end=end
    )


def _unknown_agency(text: str, start: int, end: int) -> SourceMention:
    name = text[start:end].strip()
    return SourceMention(name, name, "PHOTO_AGENCY", start=start, end=end)


def _photographer(
    text: str, start: int, end: int, agency_start: int | None, agency_end: int | None
) -> SourceMention:
    agency = None
    if agency_start is not None and agency_end is not None:
        agency = _agency(text, agency_start, agency_end) or _unknown_agency(
            text, agency_start, agency_end
        )
    name = text[start:end].strip()
    return SourceMention(
        name, name, "PERSON", affiliation=agency, start=start, end=start + len(name)
    )
