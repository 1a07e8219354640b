"""A random dataset for the differential tests, written straight into the tables.

It is built to hit the corners of serialisation and paging: timestamps with and
without microseconds and shared by several rows (keyset ties), null sort keys,
floats that print as integers (1.0), quantities, affiliations, chains of several
links, merged claims, and every review status.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

KINDS = ["NEWS_AGENCY", "NEWS_OUTLET", "GOVERNMENT", "PERSON", "ANONYMOUS"]
STATUSES = ["SUGGESTED", "CONFIRMED", "CONFIRMED", "REJECTED", "RETRACTED"]
# Quotes are checked against their document's text: "Putin hat" at 0, 10 and 20.
TEXT = "Putin hat Putin hat Putin hat.\n\t«Ende»"
BASE = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Dataset:
    sources: int
    documents: int
    claims: int
    attributions: int
    merged: list[int] = field(default_factory=list)
    # Sort keys as stored, to forge cursors that point into the lists.
    claim_keys: list[tuple[datetime, int]] = field(default_factory=list)
    source_keys: list[tuple[datetime, int]] = field(default_factory=list)
    document_keys: list[tuple[datetime, int]] = field(default_factory=list)
    reported: list[tuple[datetime | None, int]] = field(default_factory=list)
    quote_starts: list[tuple[int | None, int]] = field(default_factory=list)


def _moment(rng: random.Random) -> datetime:
    """One of a few instants (ties), with or without microseconds."""
    moment = BASE + timedelta(hours=rng.randrange(6))
    return moment + timedelta(microseconds=rng.choice([0, 0, 1, 250_000, 999_999]))


async def seed(engine: AsyncEngine, rng: random.Random) -> Dataset:
    data = Dataset(
        sources=rng.randint(4, 8),
        documents=rng.randint(2, 4),
        claims=rng.randint(5, 12),
        attributions=0,
    )
    sources: list[dict[str, Any]] = [
        {
            "id": n,
            "name": f"Quelle {n}",
            "kind": rng.choice(KINDS),
            "aliases": rng.choice([[], [f"Q{n}"], [f"Q{n}", 'Ünïcode "quoted"']]),
            "reliability": rng.choice([None, "A", "C", "F"]),
            "state": rng.random() < 0.3,
            "affiliation": rng.choice([None, None, *range(1, n)]) if n > 1 else None,
            "created": _moment(rng),
        }
        for n in range(1, data.sources + 1)
    ]
    documents: list[dict[str, Any]] = [
        {
            "id": n,
            "title": f"Artikel {n}",
            "url": rng.choice([None, f"https://example.org/{n}"]),
            "published": rng.choice([None, _moment(rng)]),
            "publisher": rng.choice([None, rng.randint(1, data.sources)]),
            "text": TEXT,
            "created": _moment(rng),
        }
        for n in range(1, data.documents + 1)
    ]
    claims: list[dict[str, Any]] = [
        {"id": n, "statement": f"Aussage {n}: «{n}»", "created": _moment(rng), "merged": None}
        for n in range(1, data.claims + 1)
    ]
    for row in claims[2:]:
        if rng.random() < 0.2:
            row["merged"] = rng.randint(1, 2)
            data.merged.append(row["id"])
    data.claim_keys = [(row["created"], row["id"]) for row in claims]
    data.source_keys = [(row["created"], row["id"]) for row in sources]
    data.document_keys = [(row["created"], row["id"]) for row in documents]
    attributions, links = _attributions(rng, data)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO source (id, name, kind, aliases, reliability, state_affiliated,"
                " affiliation_id, created_at) VALUES (:id, :name, :kind, :aliases,"
                " :reliability, :state, :affiliation, :created)"
            ),
            sources,
        )
        await connection.execute(
            text(
                "INSERT INTO document (id, title, url, language, published_at, publisher_id,"
                " text, text_sha256, created_at) VALUES (:id, :title, :url, 'de', :published,"
                " :publisher, :text, CASE WHEN CAST(:text AS text) IS NULL THEN NULL"
                " ELSE encode(sha256(convert_to(:text, 'UTF8')), 'hex') END, :created)"
            ),
            documents,
        )
        await connection.execute(
            text(
                "INSERT INTO claim (id, statement, language, created_at)"
                " VALUES (:id, :statement, 'de', :created)"
            ),
            claims,
        )
        await connection.execute(
            text(
                "INSERT INTO attribution (id, claim_id, document_id, source_id, stance,"
                " confidence, hedges, quote, quote_start, quote_end, quantity_value,"
                " quantity_unit, quantity_bound, reported_at, method, extractor_version,"
                " review_status, reviewed_at, retraction_reason) VALUES (:id, :claim,"
                " :document, :source, :stance, :confidence, :hedges, :quote, :qs, :qe,"
                " :qv, :qu, :qb, :reported, :method, :extractor, :status, :reviewed,"
                " :reason)"
            ),
            attributions,
        )
        if links:
            await connection.execute(
                text(
                    "INSERT INTO attribution_chain (attribution_id, position, role,"
                    " source_id, claim_id) VALUES (:a, :p, :r, :s, :c)"
                ),
                links,
            )
        for row in claims:
            if row["merged"] is not None:
                await connection.execute(
                    text("UPDATE claim SET merged_into_id = :m WHERE id = :id"),
                    {"m": row["merged"], "id": row["id"]},
                )
    return data


def _attributions(
    rng: random.Random, data: Dataset
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for claim in range(1, data.claims + 1):
        for _ in range(rng.randint(0, 4)):
            pk = len(rows) + 1
            # Every source stands in a chain once: publisher, source, then those it cites.
            cast = rng.sample(range(1, data.sources + 1), rng.randint(1, 4))
            publisher = rng.random() < 0.5 and len(cast) > 1
            rows.append(_attribution(rng, data, pk, claim, cast[1 if publisher else 0]))
            roles = (["PUBLISHER"] if publisher else []) + ["SOURCE"]
            roles += ["VIA"] * (len(cast) - len(roles))
            chain = cast
            for position, (role, source) in enumerate(zip(roles, chain, strict=True)):
                links.append({"a": pk, "p": position, "r": role, "s": source, "c": claim})
            data.reported.append((rows[-1]["reported"], pk))
            data.quote_starts.append((rows[-1]["qs"], pk))
    data.attributions = len(rows)
    return rows, links


def _attribution(
    rng: random.Random, data: Dataset, pk: int, claim: int, source: int
) -> dict[str, Any]:
    quoted = rng.random() < 0.7
    start = rng.choice([0, 10, 10, 20]) if quoted else None
    has_quantity = rng.random() < 0.3
    extracted = rng.random() < 0.4
    status = rng.choice(STATUSES) if extracted else rng.choice(["CONFIRMED", "RETRACTED"])
    return {
        "id": pk,
        "claim": claim,
        "document": rng.randint(1, data.documents),
        "source": source,
        "stance": rng.choice(["AFFIRMS", "AFFIRMS", "DENIES"]),
        "confidence": rng.choice([1.0, 0.0, 0.5, 0.1, 0.3333333333333333, 0.85]),
        "hedges": rng.choice([[], ["voraussichtlich"], ["bis zu", "wahrscheinlich"]]),
        "quote": "Putin hat" if quoted else None,
        "qs": start,
        "qe": None if start is None else start + 9,
        "qv": rng.choice([11_000_000.0, 2.5, 1e20, 0.001, 1e15, 999_999_999_999_999.0, 1e-05, -3.0])
        if has_quantity
        else None,
        "qu": rng.choice([None, "shells"]) if has_quantity else None,
        "qb": rng.choice(["EXACT", "AT_MOST"]) if has_quantity else None,
        "reported": rng.choice([None, _moment(rng)]),
        "method": "EXTRACTED" if extracted else "CURATED",
        "extractor": "rules-1.0" if extracted else None,
        "status": status,
        "reviewed": rng.choice([None, _moment(rng)]),
        "reason": "falsch" if status == "RETRACTED" else None,
    }
