"""Which source a phrase names: gazetteer, person names, organisation heads, anonymity.

The caller passes a *region*: the words an attribution cue points at ("die japanische
Nachrichtenagentur Kyodo", "Jack Watling, Senior Research Fellow … am Royal United Services
Institute", "three U.S. officials familiar with the matter"). How the region relates to the
cue decides which candidate wins (``mode``):

* ``NP``: the region is the subject of a reporting verb. A named person wins over the
  organisations around them (those become the affiliation); a role without a name
  ("eine Sprecherin des Ministeriums") is the organisation's voice.
* ``AFTER``: the region follows a preposition ("laut", "nach Angaben", "according to"):
  the earliest candidate within the first words.
* ``BEFORE``: the region precedes "zufolge"/"wonach": the latest candidate.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.ingest.extract import orgs
from api.ingest.extract.gazetteer import (
    BY_NAME,
    Hit,
    Token,
    canonical,
    find,
    qualified_name,
    stem,
    tokens,
)
from api.ingest.extract.lexicon import ARTICLES as _ARTICLES
from api.ingest.extract.model import SourceMention
from api.ingest.extract.named_sources import Context, relocate
from api.ingest.extract.names import (
    anonymous_candidate,
    country_government,
    is_org_head,
    person_runs,
    prefix_text,
    title_prefix,
    trim_region,
)
from api.ingest.extract.nouns import (
    ANON_HEADS,
    ORG_HEADS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    SPOKES_NOUNS,
    STOP_CAPS,
    TITLES,
)
from api.ingest.extract.orgnames import affiliation

NP, AFTER, BEFORE = "NP", "AFTER", "BEFORE"
_DEFINITE = frozenset({"der", "die", "das", "the"})
# Words after a pronoun that start the recipient, not a name ("sagte sie dem Handelsblatt").
_RECIPIENT_MARKS = frozenset(
    {
        "dem",
        "der",
        "den",
        "einem",
        "einer",
        "gegenüber",
        "to",
        "told",
        "in",
        "im",
        "am",
        "on",
        "at",
        "bei",
        "beim",
        "auf",
    }
)


@dataclass(frozen=True)
class Candidate:
    """A possible source in the region; ``rank`` orders equally placed candidates."""

    mention: SourceMention
    first: int  # token index
    rank: int


def resolve(
    text: str, start: int, end: int, language: str, ctx: Context, mode: str = NP
) -> SourceMention | None:
    """The source that ``text[start:end]`` names, or None when it names none."""
    start, end = trim_region(text, start, end)
    toks = tokens(text, start, end)
    if not toks:
        return None
    pronoun = _pronoun(toks, text, ctx)
    if pronoun is not None or (
        toks[0].text.casefold() in PERSON_PRONOUNS
        and (len(toks) <= 2 or toks[1].text.casefold() in _RECIPIENT_MARKS)
    ):
        return pronoun
    cands = _candidates(text, toks, ctx, language)
    if not cands:
        return _by_title(text, toks[:4] if mode == AFTER else toks, ctx) if mode != BEFORE else None
    if mode == AFTER:
        early = [c for c in cands if c.first <= 3]
        if not early:
            return _by_title(text, toks[:4], ctx)
        return min(early, key=lambda c: (c.rank >= 3, c.first, c.rank)).mention
    if mode == BEFORE:
        return max(cands, key=lambda c: (c.first, -c.rank)).mention
    return _pick_np(text, toks, cands, ctx)


def _pronoun(toks: list[Token], text: str, ctx: Context) -> SourceMention | None:
    words = [t.text.casefold() for t in toks]
    if len(words) == 3 and words[1] in {"of", "von"} and words[2] in {"them", "those", "ihnen"}:
        found = ctx.last(lambda m: m.kind == "ANONYMOUS")
        return relocate(found, text, toks[0].start, toks[-1].end) if found else None
    word = words[0]
    if word == "it" and (len(words) == 1 or words[1] in _RECIPIENT_MARKS):
        found = ctx.last(lambda m: m.kind not in {"PERSON", "ANONYMOUS"})
        return relocate(found, text, toks[0].start, toks[0].end) if found else None
    if (
        len(words) == 2
        and words[0] in _DEFINITE
        and toks[1].text[:1].isupper()
        and not is_org_head(toks[1].stem)
        and toks[1].stem not in ANON_HEADS
    ):
        found = ctx.last(lambda m: m.kind == "PERSON")  # "betonte die Ungarin", "der Minister"
        if found is not None and ctx.by_name_token(toks[1].text) is None:
            return relocate(found, text, toks[0].start, toks[1].end)
    recipient = len(words) > 1 and words[1] in _RECIPIENT_MARKS
    if (len(toks) > 2 and not recipient) or word not in PERSON_PRONOUNS | PLURAL_PRONOUNS:
        return None
    found = ctx.last(lambda m: m.kind == "PERSON") if word in PERSON_PRONOUNS else None
    if found is None and word in PLURAL_PRONOUNS:
        found = ctx.last(lambda m: m.kind == "ANONYMOUS")
    return relocate(found, text, toks[0].start, toks[0].end) if found else None


def _candidates(text: str, toks: list[Token], ctx: Context, language: str) -> list[Candidate]:
    hits = find(toks)
    covered = {i for h in hits for i in range(h.first, h.last + 1)}
    out = [Candidate(_from_hit(text, toks, h), h.first, 1) for h in hits]
    heads = {
        j
        for i in range(len(toks))
        if (found := orgs.head_kind(toks, i))
        for j in range(i, found[1] + 1)
    }
    for first, last in person_runs(toks, text, covered | heads):
        out.append(Candidate(_person(text, toks, first, last, ctx), first, 0))
    for cand in orgs.head_candidates(text, toks, covered, ctx):
        out.append(Candidate(cand.mention, cand.first, 3 if cand.is_document else 2))
    anon = anonymous_candidate(text, toks)
    if anon is not None:
        out.append(Candidate(_earlier_group(anon[0], toks, text, ctx), anon[1], 2))
    out.extend(_single_tokens(text, toks, covered, ctx, bool(out)))
    return out


def _from_hit(text: str, toks: list[Token], hit: Hit) -> SourceMention:
    first = orgs.extend_left(toks, hit.first)
    return SourceMention(
        name=qualified_name(hit),
        text=text[toks[first].start : hit.end],
        kind=hit.entry.kind,
        aliases=hit.entry.aliases,
        start=toks[first].start,
        end=hit.end,
    )


def _person(text: str, toks: list[Token], first: int, last: int, ctx: Context) -> SourceMention:
    start, end = toks[first].start, toks[last].end
    known = ctx.by_name_token(toks[last].text) if first == last else None
    if known is not None and known.kind == "PERSON":
        return relocate(known, text, start, end)
    name = text[start:end]
    return SourceMention(
        name=name,
        text=name,
        kind="PERSON",
        aliases=(toks[last].text,) if last > first else (),
        start=start,
        end=end,
    )


def _single_tokens(
    text: str, toks: list[Token], covered: set[int], ctx: Context, have_any: bool
) -> list[Candidate]:
    """Back-references by surname or acronym ("so Hartwig", "die HHLA"), bare names, countries."""
    out: list[Candidate] = []
    for i, tok in enumerate(toks):
        if (
            i in covered
            or not tok.text[:1].isupper()
            or tok.stem in TITLES
            or title_prefix(tok) is not None
            or is_org_head(tok.stem)
        ):
            continue
        known = ctx.by_name_token(tok.text)
        if known is not None:
            out.append(Candidate(relocate(known, text, tok.start, tok.end), i, 0))
            continue
        gov = country_government(tok)
        if gov is not None and len(toks) <= 2:
            out.append(Candidate(relocate(gov, text, tok.start, tok.end), i, 2))
        elif _is_acronym(tok.text):  # "die Hafengesellschaft HHLA"
            out.append(
                Candidate(
                    SourceMention(tok.text, tok.text, "OTHER", start=tok.start, end=tok.end), i, 3
                )
            )
        elif not have_any and _is_bare_name(toks, i):
            kind = "OTHER" if tok.text.isupper() else "PERSON"
            out.append(
                Candidate(
                    SourceMention(tok.text, tok.text, kind, start=tok.start, end=tok.end), i, 4
                )
            )
    return out


def _earlier_group(
    anon: SourceMention, toks: list[Token], text: str, ctx: Context
) -> SourceMention:
    """ "the officials", "die Quellen": the unnamed group mentioned before, if any."""
    words = [t for t in toks if t.text.casefold() not in {"the", "die", "these", "diese"}]
    if len(words) != 1 or len(words) == len(toks):
        return anon
    head = words[0].stem
    found = ctx.last(
        lambda m: (
            m.kind == "ANONYMOUS" and head in {stem(w) for w in m.name.replace("(", " ").split()}
        )
    )
    return relocate(found, text, toks[0].start, toks[-1].end) if found else anon


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _is_bare_name(toks: list[Token], i: int) -> bool:
    """A lone capitalised word after titles at most ("Kremlsprecher Peskow"), followed by
    nothing or by lower-case words ("Feldhaus bei einem Besuch"), is a name."""
    word = toks[i].text
    if word.casefold() in STOP_CAPS or len(word) < 2:
        return False
    before = toks[:i]
    if not all(
        t.stem in TITLES or title_prefix(t) is not None or t.text.casefold() in _ARTICLES
        for t in before
    ):
        return False
    return i + 1 == len(toks) or toks[i + 1].text.islower()


def _pick_np(text: str, toks: list[Token], cands: list[Candidate], ctx: Context) -> SourceMention:
    persons = [c for c in cands if c.mention.kind == "PERSON" and c.rank == 0]
    if persons:
        person = min(persons, key=lambda c: c.first)
        return _affiliate(text, toks, person, cands, ctx)
    spokes = any(t.stem in SPOKES_NOUNS or _spokes_compound(t) for t in toks)
    orgs_only = [c for c in cands if c.mention.kind != "ANONYMOUS"]
    if spokes and orgs_only:
        return min(orgs_only, key=lambda c: (c.rank, c.first)).mention
    if not any(c.rank < 3 for c in cands):
        found = _by_title(text, toks, ctx)
        if found is not None:
            return found
    return min(cands, key=lambda c: (c.rank >= 3, c.first, c.rank)).mention


def _by_title(text: str, toks: list[Token], ctx: Context) -> SourceMention | None:
    """ "ein Botschaftssprecher", "ein Bahnsprecher", "a CrewLogic spokesperson": the body
    whose spokesperson speaks, named before or by the title itself."""
    for i, tok in enumerate(toks):
        prefix = title_prefix(tok)
        if prefix:
            return _body_named(
                text, prefix_text(tok, prefix), prefix, toks[0].start, toks[-1].end, ctx
            )
        if tok.stem in SPOKES_NOUNS and i > 0 and toks[i - 1].text[:1].isupper():
            prev = toks[i - 1]
            return _body_named(text, prev.text, prev.stem, toks[0].start, toks[-1].end, ctx)
    return None


def _body_named(
    text: str, written: str, word_stem: str, start: int, end: int, ctx: Context
) -> SourceMention | None:
    """The organisation a word names: known before, in the gazetteer, or new."""
    if len(word_stem) < 2:
        return None
    found = ctx.by_head(word_stem) or ctx.by_name_token(written)
    if found is not None:
        return relocate(found, text, start, end)
    known = canonical(written)
    if known is not None:
        entry = BY_NAME.get(known.split(" (")[0])
        kind = entry.kind if entry else "OTHER"
        return SourceMention(known, text[start:end], kind, start=start, end=end)
    kind = ORG_HEADS.get(word_stem, "OTHER")
    return SourceMention(
        written[:1].upper() + written[1:], text[start:end], kind, start=start, end=end
    )


def _spokes_compound(tok: Token) -> bool:
    return tok.stem.endswith(("sprecher", "sprecheri")) and len(tok.stem) > 9


def _affiliate(
    text: str, toks: list[Token], person: Candidate, cands: list[Candidate], ctx: Context
) -> SourceMention:
    """Attach the organisation the person speaks for: a title compound's prefix, an
    organisation before the name ("Pentagon spokesman …"), or one after an affiliation
    preposition ("… am Royal United Services Institute")."""
    mention = person.mention
    if mention.affiliation is not None:
        return mention
    org = affiliation(
        text,
        toks,
        person.first,
        [(c.mention, c.first) for c in cands if c.mention.kind not in {"PERSON", "ANONYMOUS"}],
    )
    if org is None:
        for tok in toks[: person.first]:
            prefix = title_prefix(tok)
            if prefix:
                org = ctx.by_head(prefix)
                break
    if org is None:
        return mention
    return SourceMention(
        mention.name, mention.text, mention.kind, mention.aliases, org, mention.start, mention.end
    )
