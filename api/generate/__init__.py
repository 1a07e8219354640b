"""Seeded synthetic data for benchmarks and demos: `claimgraph generate --claims N`.

Benchmarks need a million attributions that look like news: busy agencies and quiet
outlets, chains of citations, hedged quotes in several languages, disagreeing numbers.
Rows go in with COPY and explicit ids, one transaction per batch of claims, so memory
stays flat and the statement-level triggers of migration 0002 refresh `source_claim`
and `claim_search` once per batch. Batch k draws from its own `Random` seeded with
(seed, k) and covers its own slice of the three years, so its rows never depend on
timing: a thread builds batches in order while two connections load them (the
triggers, not Python, are the bottleneck, and PostgreSQL gets both cores), and a run
with the same options on an empty database writes the same rows.

The package, by stage: `vocabulary` (the language tables) and `draws` (weighted pools);
`sources` (the sources of a run); `facts`, `claims`, `attributions` and `documents`
(the rows of a batch, via the drafts of `drafts`), put together by `batches`; `load`
(COPY, ids, statistics) and `run` (`generate` itself, with its producer and consumers).
"""

from api.generate.options import GenerateOptions, GenerateReport
from api.generate.run import generate

__all__ = ["GenerateOptions", "GenerateReport", "generate"]
