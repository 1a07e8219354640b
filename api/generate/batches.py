"""One batch of claims, built from its own random stream into rows ready for COPY.

Batch k draws from a `Random` seeded with (seed, k) and covers the k-th slice of the
three years, so its rows never depend on timing or on how batches are loaded. Only the
ids run on from one batch to the next, which is why batches are built in order.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from api.generate.attributions import attribution_record, chain_records
from api.generate.claims import build_claim
from api.generate.documents import document_pools, document_record, plan_documents
from api.generate.drafts import AttributionDraft, Batch, Ids, Record
from api.generate.options import GenerateOptions
from api.generate.sources import World
from api.generate.vocabulary import SPAN, START


class BatchBuilder:
    """Builds batch after batch; ids continue from the previous batch, so build them in order."""

    def __init__(self, options: GenerateOptions, world: World, bases: dict[str, int]) -> None:
        self.options = options
        self.world = world
        self.bases = bases
        self.documents = Ids(bases["document"] + 1)
        self.attributions = Ids(bases["attribution"] + 1)

    def window(self, number: int) -> tuple[datetime, timedelta]:
        """Batch k covers the k-th slice of the three years, so time runs with the ids."""
        return START + SPAN * number / self.options.batches, SPAN / self.options.batches

    def document_count(self, number: int) -> int:
        """This batch's share of the documents, in proportion to its share of the claims."""
        total, claims = self.options.documents, self.options.claims
        first = number * self.options.batch
        last = min(first + self.options.batch, claims)
        return max(1, round(total * last / claims) - round(total * first / claims))

    def build(self, number: int) -> Batch:
        """Documents first, then claims with their attributions, then the documents' text."""
        rng = random.Random(f"claimgraph:{self.options.seed}:batch:{number}")
        first = number * self.options.batch
        count = min(self.options.batch, self.options.claims - first)
        documents = plan_documents(
            rng, self.world, self.documents, self.document_count(number), self.window(number)
        )
        pools = document_pools(rng, documents)
        claims: list[Record] = []
        drafts: list[AttributionDraft] = []
        for index in range(first, first + count):
            claim_id = self.bases["claim"] + index + 1
            claim, own = build_claim(rng, self.world, self.attributions, claim_id, pools)
            claims.append(claim)
            drafts.extend(own)
        return Batch(
            [document_record(rng, self.world, d) for d in documents],
            claims,
            [attribution_record(d) for d in drafts],
            chain_records(drafts),
        )
