"""The interchange formats as fields of Claim."""

from __future__ import annotations

import csv
import io
import json

from prov.model import ProvAgent, ProvDocument
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.ids import encode_id
from tests.api.interchange.data import load_story
from tests.support.app import GraphQLClient

ORIGIN = "Ungenannte Quellen (Kyodo)"
PUBLISHER = "Seed article publisher (unidentified outlet)"
AGENTS = {PUBLISHER, "Kyodo", ORIGIN}
ARTICLE_URL = "https://www.zeit.de/news/2023-09/14/kim-putin"
PROV = "http://www.w3.org/ns/prov#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

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
    # then the ClaimReview reviews this claim, by the origin that stands behind it
    review = claim["claimReview"]
    assert (review["@context"], review["@type"]) == ("https://schema.org", "ClaimReview")
    assert review["claimReviewed"] == claim["statement"] == review["itemReviewed"]["text"]
    assert review["itemReviewed"]["@type"] == "Claim"
    assert [a["name"] for a in review["itemReviewed"]["author"]] == [ORIGIN]
    assert review["itemReviewed"]["firstAppearance"]["url"] == ARTICLE_URL
    # rated with the consensus of Kyodo's one hedged report: B (0.8) x "voraussichtlich" (0.75)
    assert review["reviewRating"]["ratingValue"] == 0.6
    assert review["reviewRating"]["ratingExplanation"].startswith("1 origin affirms: " + ORIGIN)
    # and PROV-JSON names the publisher, the reporting agency and the origin as agents,
    prov = claim["prov"]
    assert prov["prefix"]["cg"] == "urn:claimgraph:"
    parsed = ProvDocument.deserialize(content=json.dumps(prov))
    assert {str(a.label) for a in parsed.get_records(ProvAgent)} == AGENTS
    claim_entity = prov["entity"][f"cg:claim-{pk}"]
    assert claim_entity["prov:value"] == claim["statement"]
    reports = [e for e in prov["entity"].values() if e["prov:type"]["$"] == "cg:Attribution"]
    assert [(r["cg:stance"], r["cg:confidence"]["$"], r["cg:hedge"]) for r in reports] == [
        ("AFFIRMS", 0.75, "voraussichtlich")
    ]
    # PROV-O as expanded JSON-LD says the same of the claim and its agents,
    nodes = {node["@id"]: node for node in claim["provO"]}
    claim_node = nodes[f"urn:claimgraph:claim-{pk}"]
    assert set(claim_node["@type"]) == {"urn:claimgraph:Claim", f"{PROV}Entity"}
    assert claim_node[f"{PROV}value"][0]["@value"] == claim["statement"]
    labels = {
        node[LABEL][0]["@value"] for node in nodes.values() if f"{PROV}Agent" in node["@type"]
    }
    assert labels == AGENTS
    # and the CSV has one row per report, with its chain and origin
    rows = list(csv.DictReader(io.StringIO(claim["comparisonCsv"])))
    assert [(r["claim"], r["source"], r["origin"], r["stance"]) for r in rows] == [
        (claim["statement"], "Kyodo", ORIGIN, "AFFIRMS")
    ]
    assert rows[0]["chain"] == f"{PUBLISHER} > Kyodo > {ORIGIN}"
