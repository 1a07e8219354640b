"""Remember the people and organisations a sentence names, whoever is speaking.

Why: later sentences refer back to them ("Chief executive Laura Brennan apologized …" …
"„…“, she said"; "Northstar Airlines cancelled …, the carrier said"; "Der Deutsche
Wetterdienst (DWD) warnte …" … "teilte der DWD mit"). Only confident names are kept: a
gazetteer entry, an organisation with a proper name, or a personal name right after a title,
so that the memory is not filled with capitalised German nouns.
"""

from __future__ import annotations

from typing import Final

from api.ingest.extract import orgs
from api.ingest.extract.gazetteer import find, qualified_name, tokens
from api.ingest.extract.model import SourceMention
from api.ingest.extract.named_sources import Context
from api.ingest.extract.names import person_runs, title_prefix
from api.ingest.extract.nouns import TITLES

MAX_SCAN: Final = 2000  # longer units are not scanned: no news sentence is that long


def scan(text: str, start: int, end: int, ctx: Context) -> None:
    """Add the confidently named sources in ``text[start:end]`` to ``ctx``."""
    if end - start > MAX_SCAN:
        return
    toks = tokens(text, start, end)
    hits = find(toks)
    covered = {i for h in hits for i in range(h.first, h.last + 1)}
    for hit in hits:
        ctx.remember(
            SourceMention(
                qualified_name(hit),
                text[hit.start : hit.end],
                hit.entry.kind,
                hit.entry.aliases,
                start=hit.start,
                end=hit.end,
            )
        )
    for cand in orgs.head_candidates(text, toks, covered, Context()):
        if not cand.is_document:
            ctx.remember(cand.mention)
    heads = {
        j
        for i in range(len(toks))
        if (found := orgs.head_kind(toks, i))
        for j in range(i, found[1] + 1)
    }
    for first, last in person_runs(toks, text, covered | heads):
        titled = any(
            t.stem in TITLES or title_prefix(t) is not None for t in toks[max(0, first - 3) : first]
        )
        if titled:
            name = text[toks[first].start : toks[last].end]
            ctx.remember(
                SourceMention(
                    name,
                    name,
                    "PERSON",
                    (toks[last].text,),
                    start=toks[first].start,
                    end=toks[last].end,
                )
            )
