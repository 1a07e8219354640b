"""One claim of a batch and every attribution of it, drawn together.

A claim's documents are chosen first, because the fact's date depends on the earliest
of them; the claim row itself is worded in its own language without hedges, as a
statement of what is claimed rather than how firmly.
"""

from __future__ import annotations

import random
from datetime import timedelta

from api.generate.attributions import draft_attribution
from api.generate.drafts import AttributionDraft, DocumentDraft, Ids, Record
from api.generate.draws import COUNT_POOL, LANGUAGE_POOL, Pool
from api.generate.facts import format_number, new_fact, render
from api.generate.sources import World
from api.generate.vocabulary import LANGUAGES


def build_claim(
    rng: random.Random, world: World, ids: Ids, claim_id: int, pools: list[Pool]
) -> tuple[Record, list[AttributionDraft]]:
    """A claim first reported around its event, in documents mostly of its language.

    `pools` are `documents.document_pools`: one per language, the last of all documents.
    `ids` hands out attribution ids.
    """
    language = LANGUAGE_POOL.pick(rng)
    same = pools[language] if pools[language].items else pools[-1]
    documents: list[DocumentDraft] = [
        (same if rng.random() < 0.85 else pools[-1]).pick(rng) for _ in range(COUNT_POOL.pick(rng))
    ]
    fact = new_fact(rng, world, min(d.published_at for d in documents))
    drafts = [
        draft_attribution(rng, world, ids, claim_id, fact, document) for document in documents
    ]
    created = min(d.created_at for d in drafts) - timedelta(seconds=rng.randint(1, 60))
    statement = render(fact, language, "", format_number(fact.value or 0, language))
    return (claim_id, f"{statement}.", LANGUAGES[language], created), drafts
