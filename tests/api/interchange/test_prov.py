"""A claim's provenance as W3C PROV: the `prov` package reads back every agent and relation."""

from __future__ import annotations

from typing import Any

from prov.model import (
    ProvAgent,
    ProvAttribution,
    ProvDelegation,
    ProvDerivation,
    ProvDocument,
    ProvGeneration,
    ProvSpecialization,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.prov import export_prov, prov_json, prov_jsonld, rdflib_quiet
from tests.api.interchange.data import load_story

SUKHOI = "SELECT id FROM claim WHERE statement LIKE '%Sukhoi%'"
AFFILIATED = """
SELECT ch.claim_id FROM attribution_chain ch JOIN source s ON s.id = ch.source_id
WHERE s.affiliation_id IS NOT NULL ORDER BY ch.claim_id LIMIT 1
"""
BUSIEST = """
SELECT claim_id FROM attribution_chain GROUP BY claim_id
ORDER BY count(DISTINCT source_id) DESC, claim_id LIMIT 1
"""
CURRENT = """
SELECT a.id, a.source_id, a.document_id, a.quote IS NOT NULL AS quoted,
       ARRAY(SELECT ch.source_id FROM attribution_chain ch WHERE ch.attribution_id = a.id
             AND ch.role = 'VIA' ORDER BY ch.position) AS via
FROM attribution a
WHERE a.claim_id = :c AND a.review_status NOT IN ('REJECTED', 'RETRACTED')
"""


def relations(document: ProvDocument, kind: type) -> set[tuple[str, str]]:
    found = set()
    for record in document.get_records(kind):
        first, second = (str(value) for _, value in record.formal_attributes[:2])
        found.add((first, second))
    return found


async def current(db: AsyncEngine, query: str) -> tuple[int, list[Any], ProvDocument]:
    async with db.connect() as connection:
        claim_id = (await connection.execute(text(query))).scalar_one()
        reports = (await connection.execute(text(CURRENT), {"c": claim_id})).all()
        document = await export_prov(connection, claim_id)
    assert document is not None
    return claim_id, list(reports), document


async def test_prov_json_parses_back_with_every_agent_and_relation(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    claim_id, reports, built = await current(db, SUKHOI)
    # when
    parsed = ProvDocument.deserialize(content=prov_json(built), format="json")
    # then
    assert parsed == built
    agents = {str(a.identifier) for a in parsed.get_records(ProvAgent)}
    for report in reports:
        attribution = f"cg:attribution-{report.id}"
        assert f"cg:source-{report.source_id}" in agents
        assert (attribution, f"cg:source-{report.source_id}") in relations(parsed, ProvAttribution)
        assert (attribution, f"cg:claim-{claim_id}") in relations(parsed, ProvSpecialization)
        derived = relations(parsed, ProvDerivation)
        assert (attribution, f"cg:document-{report.document_id}") in derived
        for position, source in enumerate(report.via):
            step = f"cg:attribution-{report.id}-via-{position}"
            assert (step, f"cg:source-{source}") in relations(parsed, ProvAttribution)
            assert (
                attribution if position == 0 else f"cg:attribution-{report.id}-via-{position - 1}",
                step,
            ) in derived
    assert any(report.via for report in reports)
    assert relations(parsed, ProvGeneration)  # documents with their publication times
    primary = {
        (str(r.formal_attributes[0][1]), str(r.formal_attributes[1][1]))
        for r in parsed.get_records(ProvDerivation)
        if any(str(t) == "prov:PrimarySource" for t in r.get_asserted_types())
    }
    expected = {
        (f"cg:attribution-{r.id}", f"cg:attribution-{r.id}-via-{len(r.via) - 1}")
        for r in reports
        if r.via
    }
    assert primary == expected
    assert expected


async def test_affiliations_are_delegations(
    db: AsyncEngine,
) -> None:
    # given
    await load_story(db)
    claim_id, _, built = await current(db, AFFILIATED)
    # when
    parsed = ProvDocument.deserialize(content=prov_json(built), format="json")
    # then
    async with db.connect() as connection:
        affiliations = {
            (f"cg:source-{a}", f"cg:source-{b}")
            for a, b in await connection.execute(
                text(
                    "SELECT id, affiliation_id FROM source WHERE affiliation_id IS NOT NULL"
                    " AND id IN (SELECT ch.source_id FROM attribution_chain ch"
                    " JOIN attribution a ON a.id = ch.attribution_id WHERE a.claim_id = :c)"
                ),
                {"c": claim_id},
            )
        }
    assert affiliations
    assert affiliations <= relations(parsed, ProvDelegation)


async def test_prov_o_json_ld_parses_back_into_the_same_graph(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    _, _, built = await current(db, BUSIEST)
    # when
    with rdflib_quiet():
        parsed = ProvDocument.deserialize(
            content=prov_jsonld(built), format="rdf", rdf_format="json-ld"
        )
    # then
    assert agent_iris(parsed) == agent_iris(built)
    assert len(list(built.get_records(ProvAgent))) > 2
    assert iris(parsed, ProvAttribution) == iris(built, ProvAttribution)
    assert iris(parsed, ProvSpecialization) == iris(built, ProvSpecialization)


def agent_iris(document: ProvDocument) -> set[str]:
    return {str(getattr(a.identifier, "uri", "")) for a in document.get_records(ProvAgent)}


def iris(document: ProvDocument, kind: type) -> set[tuple[str, str]]:
    return {
        (r.formal_attributes[0][1].uri, r.formal_attributes[1][1].uri)
        for r in document.get_records(kind)
    }
