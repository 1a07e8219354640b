"""What `claimgraph generate` is asked to do, and what it reports having done."""

from __future__ import annotations

import math
from dataclasses import dataclass

from api.generate.drafts import Batch


@dataclass(frozen=True)
class GenerateOptions:
    """What to generate. Seed, claims and batch together fix the data: each batch has its
    own random stream, so another batch size gives other (equally plausible) rows."""

    claims: int
    seed: int = 0
    batch: int = 5000
    connections: int = 2

    def __post_init__(self) -> None:
        if min(self.claims, self.batch, self.connections) < 1:
            raise ValueError("claims, batch and connections must be positive")

    @property
    def sources(self) -> int:
        return max(50, self.claims // 50)

    @property
    def documents(self) -> int:
        return max(1, round(self.claims / 3))

    @property
    def batches(self) -> int:
        return math.ceil(self.claims / self.batch)


@dataclass
class GenerateReport:
    """What one run added, for the progress lines and the closing summary."""

    sources: int = 0
    documents: int = 0
    claims: int = 0
    attributions: int = 0
    chain_links: int = 0
    seconds: float = 0.0

    def add(self, batch: Batch) -> None:
        self.documents += len(batch.documents)
        self.claims += len(batch.claims)
        self.attributions += len(batch.attributions)
        self.chain_links += len(batch.chains)

    def summary(self) -> str:
        return (
            f"generated {self.sources} sources, {self.documents} documents, {self.claims}"
            f" claims, {self.attributions} attributions, {self.chain_links} chain links"
            f" in {self.seconds:.1f} s"
        )
