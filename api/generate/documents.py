"""The documents of one batch: planned first, written last, once their quotes are known.

Claims pick their documents from per-language pools before any text exists; the text is
written at the end of the batch, when every quote in it is known, and each quote's
offsets are counted in code points there, as the API stores them.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from api.documents.service import text_sha256
from api.generate.drafts import AttributionDraft, DocumentDraft, Ids, Record
from api.generate.draws import LANGUAGE_POOL, PUBLISHER_KIND_POOL, Pool, seconds_after
from api.generate.sources import World
from api.generate.vocabulary import FILLERS, LANGUAGES


def plan_documents(
    rng: random.Random,
    world: World,
    ids: Ids,
    count: int,
    window: tuple[datetime, timedelta],
) -> list[DocumentDraft]:
    """`count` documents published within `window` (its start and length) by publishers."""
    start, length = window
    documents = []
    for _ in range(count):
        published = seconds_after(start, rng, 0, length.total_seconds())
        publisher = world.pools[PUBLISHER_KIND_POOL.pick(rng)].pick(rng)
        documents.append(
            DocumentDraft(
                ids.take(),
                LANGUAGE_POOL.pick(rng),
                publisher,
                published,
                seconds_after(published, rng, 60, 3600),
            )
        )
    return documents


def document_pools(rng: random.Random, documents: list[DocumentDraft]) -> list[Pool]:
    """One pool per language, then one of all documents; long reads carry more claims."""
    weights = [rng.uniform(0.3, 1.7) for _ in documents]
    pools = []
    for language in range(len(LANGUAGES)):
        chosen = [i for i, d in enumerate(documents) if d.language == language]
        pools.append(Pool([documents[i] for i in chosen], [weights[i] for i in chosen]))
    pools.append(Pool(documents, weights))
    return pools


def document_record(rng: random.Random, world: World, document: DocumentDraft) -> Record:
    """The finished row: filler sentences around the quotes, a headline and a URL."""
    language = document.language
    fillers = [
        rng.choice(FILLERS[language]).format(
            a=rng.choice(world.countries), p=rng.choice(world.places)
        )
        for _ in range(rng.randint(2, 6))
    ]
    text = write_text(rng, document, fillers)
    headline = document.quoted[0].clause if document.quoted else fillers[0].rstrip(".")
    headline = headline[0].upper() + headline[1:200]
    publisher = world.names[document.publisher].lower().replace(" ", "-")
    url = (
        f"https://example.org/{publisher}/{LANGUAGES[language]}/"
        f"{document.published_at:%Y/%m/%d}/article-{document.id}"
    )
    return (
        document.id,
        url,
        headline,
        LANGUAGES[language],
        document.published_at,
        document.publisher,
        text,
        text_sha256(text),
        document.created_at,
    )


def write_text(rng: random.Random, document: DocumentDraft, fillers: list[str]) -> str:
    """Shuffle quoted and filler sentences into paragraphs; place each quote by code points."""
    pieces: list[tuple[str, AttributionDraft | None]] = [(d.sentence, d) for d in document.quoted]
    pieces += [(filler, None) for filler in fillers]
    rng.shuffle(pieces)
    parts: list[str] = []
    offset = 0
    for index, (sentence, draft) in enumerate(pieces):
        if index:
            separator = "\n\n" if index % 4 == 0 else " "
            parts.append(separator)
            offset += len(separator)
        if draft is not None:
            draft.start = offset + draft.prefix
        parts.append(sentence)
        offset += len(sentence)
    return "".join(parts)
