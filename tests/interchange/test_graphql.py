"""The interchange formats as fields of Claim."""

from __future__ import annotations

import json

from prov.model import ProvAgent, ProvDocument
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.ids import encode_id
from tests.interchange.data import load_story
from tests.support.app import GraphQLClient

FORMATS = """
query($id: ID!) {
  node(id: $id) {
    ... on Claim {
      statement
      claimReview
      prov
      provO: prov(format: PROV_O_JSONLD, includeSuggested: false)
      comparisonCsv
    }
  }
}"""


async def test_a_claim_gives_its_claimreview_prov_and_csv(
    db: AsyncEngine, gql: GraphQLClient
) -> None:
    # given
    await load_story(db)
    async with db.connect() as connection:
        pk = (
            await connection.execute(text("SELECT id FROM claim WHERE statement LIKE '%Sukhoi%'"))
        ).scalar_one()
    # when
    claim = (await gql(FORMATS, {"id": encode_id("Claim", pk)}))["node"]
    # then
    assert claim["claimReview"]["claimReviewed"] == claim["statement"]
    assert claim["claimReview"]["itemReviewed"]["@type"] == "Claim"
    assert claim["prov"]["prefix"]["cg"] == "urn:claimgraph:"
    parsed = ProvDocument.deserialize(content=json.dumps(claim["prov"]))
    assert {str(a.identifier) for a in parsed.get_records(ProvAgent)}
    assert isinstance(claim["provO"], (list, dict))
    assert claim["comparisonCsv"].startswith("claim_id,claim,")
