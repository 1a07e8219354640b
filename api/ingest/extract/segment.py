"""Paragraphs and sentences, as code-point spans of the original text.

The splitter never copies or rewrites the text: every unit is a ``(start, end)`` span, so
quotes cut from it keep exact offsets. It is a single left-to-right pass over candidate
boundaries (linear in the text), which matters for the 2-million-character inputs an
importer may feed it.

Why each rule exists:

* Blank lines separate paragraphs; headlines and captions are paragraphs of their own.
  A single line break also separates units, unless the line before is long and unfinished
  (hard-wrapped prose).
* A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets)
  followed by white space and an upper-case letter, a digit or an opening quote. Lower case
  after the dot never starts a sentence, which keeps "14.09.2023", "1.5" and "11,5" whole
  and most mid-sentence abbreviations too.
* Known abbreviations (z. B., u. a., Dr., Mr., St., Nr., bzw., ca.) and single-letter
  initials do not end a sentence. Country abbreviations (U.S., U.K.) do when the next word
  is a typical sentence opener ("The", "Die").
* Ordinal dots ("am 14. September", "der 3. Platz") do not end a sentence.
* A boundary inside a short quotation („Wir kommen. Bald.“, sagte er) is no boundary, so a
  multi-sentence quote stays with its attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from api.ingest.extract.lexicon import MONTHS, words

ABBREVIATIONS: Final = frozenset(
    words("""
        z. b. u. a. d. h. bzw. ca. nr. vgl. usw. etc. ggf. evtl. inkl. exkl. mio. mrd. tsd. rd.
        gem. lt. sog. str. abs. art. bd. hr. fr. frl. jh. jhd. dt. engl. geb. gest. max. min.
        st. s. v. vs. prof. dr. dipl. ing. nrn. tel. zzgl. u.a. z.b. d.h. o.ä. u.ä. z.t. jan.
        feb. febr. mär. apr. jun. jul. aug. sep. sept. okt. oct. nov. dez. dec. mo. di. mi. do.
        sa. so. mr. mrs. ms. messrs. sr. jr. gen. col. capt. cmdr. adm. sgt. gov. sen. rep.
        pres. rev. hon. no. nos. vol. fig. approx. inc. ltd. corp. co. bros. dept. univ. ave.
        blvd. mt. ft. e.g. i.e. u.s. u.k. u.n. e.u. a.m. p.m.
    """)
)
# Abbreviations that often end a sentence too: split after them before a sentence opener.
SENTENCE_FINAL_ABBREVIATIONS: Final = frozenset(
    words("""
        u.s. u.k. u.n. e.u. etc. usw. inc. ltd. corp. co. a.m. p.m. jr. sr.
    """)
)
SENTENCE_OPENERS: Final = frozenset(
    words("""
        the a an it he she they we i but and in on at this that there his her their its some
        many after der die das ein eine es er sie wir ich aber und im am auf nach dies diese
        dieser dort seine ihre
    """)
)
ORDINAL_CONTEXT: Final = frozenset(
    words("""
        am im zum vom beim der die das den dem des bis seit ab ihr ihrem ihren sein seinem
        seinen zur jeden jedem
    """)
)
OPEN_QUOTES: Final = "„“‚«»\"'‹›‘"
CLOSE_QUOTES: Final = "“”‘’«»\"'‹›"
TERMINAL: Final = ".!?…"
MAX_QUOTE: Final = 1000  # a quote longer than this is not protected from splitting

_CANDIDATE = re.compile(r"[.!?…]+[\"'“”’»«›)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"(\S+)$")
_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")
_LINE = re.compile(r"[^\n]+")
_QUOTE_MARK = re.compile('[„“”"»«]')
_NEXT = re.compile(r"\s+(\S+)")


@dataclass(frozen=True)
class Span:
    """A unit of text: ``text[start:end]``, with leading and trailing white space excluded."""

    start: int
    end: int


def paragraphs(text: str) -> list[Span]:
    """Split ``text`` into paragraphs: blank lines always separate, single breaks usually."""
    out: list[Span] = []
    cur: Span | None = None
    blank = True
    prev_end = 0
    for m in _LINE.finditer(text):
        if not m.group().strip():
            blank = True
            continue
        if text.count("\n", prev_end, m.start()) >= 2:
            blank = True
        prev_end = m.end()
        span = _strip(text, m.start(), m.end())
        if cur is not None and not blank and _is_wrapped(text, cur):
            cur = Span(cur.start, span.end)
        else:
            if cur is not None:
                out.append(cur)
            cur = span
        blank = False
    if cur is not None:
        out.append(cur)
    return out


def _is_wrapped(text: str, para: Span) -> bool:
    """A long line that does not end like a sentence continues on the next line."""
    line_start = text.rfind("\n", para.start, para.end) + 1 or para.start
    last = text[line_start : para.end].rstrip()
    return len(last) >= 50 and last[-1] not in TERMINAL + ":;" + CLOSE_QUOTES


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentences(text: str, para: Span) -> list[Span]:
    """Split one paragraph into sentences (spans of ``text``)."""
    quotes = _quote_spans(text, para)
    out: list[Span] = []
    start = para.start
    qi = 0
    for m in _CANDIDATE.finditer(text, para.start, para.end):
        cut = m.end()
        while qi < len(quotes) and quotes[qi][1] <= cut:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] < m.start() < quotes[qi][1]:
            continue
        if _is_boundary(text, m, para.end):
            out.append(_strip(text, start, cut))
            start = cut
    last = _strip(text, start, para.end)
    if last.end > last.start:
        out.append(last)
    return [s for s in out if s.end > s.start]


def _is_boundary(text: str, m: re.Match[str], limit: int) -> bool:
    """Decide whether the punctuation in ``m`` ends a sentence."""
    nxt = _NEXT.match(text, m.end(), min(limit, m.end() + 80))
    if nxt is None:
        return False
    following = nxt.group(1)
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in OPEN_QUOTES + "(["):
        return False
    punct = m.group()
    if not punct.startswith(".") or len(punct.rstrip("\"'“”’»«›)]")) > 1:
        return True
    before = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
    if before is None:
        return True
    word = before.group(1).lstrip("(\"'„“«»")
    return _dot_ends_sentence(word, following, text, before.start())


def _dot_ends_sentence(word: str, following: str, text: str, word_start: int) -> bool:
    """A dot after ``word`` ends the sentence unless ``word`` is an abbreviation or ordinal."""
    key = word.casefold() + "."
    opener = following.strip("\"'„“«»()[].,;:!?").casefold()
    if key in ABBREVIATIONS or _is_initials(word):
        return key in SENTENCE_FINAL_ABBREVIATIONS and opener in SENTENCE_OPENERS
    if word.isdigit() and len(word) <= 3:
        prev = _PREVIOUS_WORD.search(text, max(0, word_start - 20), word_start)
        prev_word = prev.group(1).casefold().rstrip(",(") if prev else ""
        if opener in MONTHS or prev_word in ORDINAL_CONTEXT:
            return False
    return True


def _is_initials(word: str) -> bool:
    """ "J", "U.S", "z.B" (the final dot already removed): initials, not sentence ends."""
    parts = word.split(".")
    return all(len(p) == 1 and p.isalpha() for p in parts)


def _quote_spans(text: str, para: Span) -> list[tuple[int, int]]:
    """Spans of balanced quotations in the paragraph, in order, at most MAX_QUOTE long.

    „…“ and »…« / «…» pair by their shapes; “…” and "…" by alternation. An opening mark that
    never closes protects nothing.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for qm in _QUOTE_MARK.finditer(text, para.start, para.end):
        i, ch = qm.start(), qm.group()
        top = stack[-1][0] if stack else ""
        closes = (
            (ch == "“" and top in "„“" and top != "")
            or (ch == "”" and top == "“")
            or (ch == '"' and top == '"')
            or (ch == "«" and top == "»")
            or (ch == "»" and top == "«")
        )
        if closes:
            _, open_at = stack.pop()
            if i - open_at <= MAX_QUOTE:
                spans.append((open_at, i + 1))
        elif ch != "”":
            stack.append((ch, i))
            if len(stack) > 8:
                stack.pop(0)
    spans.sort()
    return _outermost(spans)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s in spans:
        if out and s[0] < out[-1][1]:
            continue
        out.append(s)
    return out
