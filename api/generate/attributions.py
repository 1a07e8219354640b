"""The attributions of one claim: who says it, through whom, how firmly, in which words.

Each attribution is drafted when its claim is: source and chain, stance, hedges and
number, and the sentence that quotes it. Its quote offsets are filled in later, when its
document's text is written (`documents.write_text`), and only then does it become a row.
"""

from __future__ import annotations

import random

from api.enums import QuantityBound, Stance
from api.generate.drafts import AttributionDraft, DocumentDraft, Ids, Record
from api.generate.draws import (
    BOUND_POOL,
    CITE_POOLS,
    SOURCE_KIND_POOL,
    VIA_LENGTH_POOL,
    seconds_after,
)
from api.generate.facts import Fact, format_number, render, round_significant
from api.generate.sources import World
from api.generate.vocabulary import (
    ADVERBS,
    BOUNDS,
    DENIES,
    FRAMES,
    HEDGED,
    QUOTED,
    SAME_NUMBER,
    SELF_REPORT,
)
from api.provenance.service import chain_rows


def draft_attribution(
    rng: random.Random,
    world: World,
    ids: Ids,
    claim_id: int,
    fact: Fact,
    document: DocumentDraft,
) -> AttributionDraft:
    """One report of `fact` in `document`, reported at publication or (30 %) a little later."""
    source, via = pick_chain(rng, world, document.publisher)
    reported = document.published_at
    if rng.random() < 0.3:
        reported = seconds_after(reported, rng, 600, 36 * 3600)
    created = seconds_after(max(reported, document.created_at), rng, 60, 6 * 3600)
    denies = rng.random() < DENIES
    draft = AttributionDraft(
        ids.take(),
        claim_id,
        document,
        source,
        via,
        (Stance.DENIES if denies else Stance.AFFIRMS).value,
        1.0,
        [],
        None,
        reported,
        created,
    )
    adverb, number = word(rng, draft, fact, document.language)
    if rng.random() < QUOTED:
        draft.clause = render(fact, document.language, adverb, number)
        frame(rng, world, draft, denies)
    return draft


def pick_chain(rng: random.Random, world: World, publisher: int) -> tuple[int, list[int]]:
    """The attributed source and the 0-3 sources it cites, never repeating one."""
    source = publisher
    if rng.random() >= SELF_REPORT:
        source = world.pools[SOURCE_KIND_POOL.pick(rng)].pick(rng)
    kind = world.kind_of[source]
    via: list[int] = []
    taken = {source, publisher}
    for _ in range(VIA_LENGTH_POOL.pick(rng)):
        if kind not in CITE_POOLS:
            break
        kind = CITE_POOLS[kind].pick(rng)
        cited = world.pools[kind].pick(rng)
        if cited in taken:
            break
        via.append(cited)
        taken.add(cited)
    return source, via


def word(rng: random.Random, draft: AttributionDraft, fact: Fact, language: int) -> tuple[str, str]:
    """How firmly the report puts the claim: a hedging adverb, the number and its bound."""
    confidence, adverb, number = 1.0, "", ""
    if rng.random() < HEDGED:
        level, words = rng.choice(ADVERBS)
        confidence, adverb = level, words[language]
        draft.hedges.append(adverb)
    if fact.value is not None:
        value = fact.value
        if rng.random() >= SAME_NUMBER:
            value = max(fact.template.low, round_significant(value * rng.uniform(0.4, 1.8)))
        bound: QuantityBound = BOUND_POOL.pick(rng)
        _, level, hedge, words = BOUNDS[bound]
        confidence *= level
        if hedge:
            draft.hedges.append(words[language])
        number = f"{words[language]} {format_number(value, language)}".lstrip()
        draft.quantity = (value, fact.template.unit, bound.value)
    draft.confidence = round(confidence, 4)
    return adverb, number


def frame(rng: random.Random, world: World, draft: AttributionDraft, denies: bool) -> None:
    """The sentence around the quoted clause, naming the source (and whom it cites)."""
    plain, citing, denial = FRAMES[draft.document.language]
    opening = denial if denies else citing if draft.via else rng.choice(plain)
    names = world.names
    before = opening.format(s=names[draft.source_id], v=names[draft.via[0]] if draft.via else "")
    before = before[0].upper() + before[1:]
    draft.prefix = len(before)
    draft.sentence = f"{before}{draft.clause}."
    draft.document.quoted.append(draft)


def attribution_record(draft: AttributionDraft) -> Record:
    """The finished row; an unquoted attribution has no quote and no offsets."""
    quote = draft.clause if draft.start is not None else None
    end = None if draft.start is None else draft.start + len(draft.clause)
    value, unit, bound = draft.quantity or (None, None, None)
    return (
        draft.id,
        draft.claim_id,
        draft.document.id,
        draft.source_id,
        draft.stance,
        draft.confidence,
        draft.hedges,
        quote,
        draft.start,
        end,
        value,
        unit,
        bound,
        draft.reported_at,
        draft.created_at,
    )


def chain_records(drafts: list[AttributionDraft]) -> list[Record]:
    """The chain exactly as the API writes it, by the API's own `chain_rows`."""
    return [
        (row["attribution_id"], row["position"], row["role"], row["source_id"], row["claim_id"])
        for d in drafts
        for row in chain_rows(d.id, d.claim_id, d.document.publisher, d.source_id, d.via)
    ]
