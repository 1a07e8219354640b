"""The provenance tables claims' SQL names, by table name rather than by import.

api/provenance stands above api/claims: an attribution reports a claim, and its rules
read claims. Claim lists filter by attribution and a merge moves attributions and their
chains, touching only these columns; tests/test_architecture.py checks them against the
models, so a renamed column fails there rather than in a query.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Text, column, table

attribution = table(
    "attribution",
    column("id", BigInteger),
    column("claim_id", BigInteger),
    column("document_id", BigInteger),
    column("source_id", BigInteger),
    column("review_status", Text),
)
chain = table(
    "attribution_chain",
    column("attribution_id", BigInteger),
    column("source_id", BigInteger),
    column("claim_id", BigInteger),
)
