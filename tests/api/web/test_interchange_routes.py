"""The per-claim formats over HTTP, under the same read policy as GraphQL."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import httpx
import orjson
import pytest
from prov.model import ProvDocument
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.interchange.ids import encode_id
from api.interchange.prov import rdflib_quiet
from tests.api.interchange.data import load_story
from tests.support.app import TEST_SETTINGS, new_key, serving

SUKHOI = "SELECT id FROM claim WHERE statement LIKE '%Sukhoi%'"
PRIVATE = TEST_SETTINGS.model_copy(update={"anonymous_read": False})


async def sukhoi_path(db: AsyncEngine) -> str:
    await load_story(db)
    async with db.connect() as connection:
        pk = (await connection.execute(text(SUKHOI))).scalar_one()
    return f"/claims/{quote(encode_id('Claim', pk), safe='')}"


async def get(db: AsyncEngine, path: str, **options: object) -> httpx.Response:
    async with serving(db, **options) as client:  # type: ignore[arg-type]
        return await client.get(path)


async def test_claimreview_is_served_as_json_ld(db: AsyncEngine) -> None:
    # given
    path = await sukhoi_path(db)
    # when
    response = await get(db, f"{path}/claimreview.jsonld")
    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    body = response.json()
    assert body["@type"] == "ClaimReview" and "Sukhoi" in body["claimReviewed"]


async def test_prov_json_and_prov_o_are_served_and_parse(db: AsyncEngine) -> None:
    # given
    path = await sukhoi_path(db)
    # when
    as_json = await get(db, f"{path}/prov.json")
    as_rdf = await get(db, f"{path}/prov.jsonld")
    # then
    assert as_json.status_code == as_rdf.status_code == 200
    assert as_rdf.headers["content-type"] == "application/ld+json"
    parsed = ProvDocument.deserialize(content=as_json.text, format="json")
    with rdflib_quiet():
        graph = ProvDocument.deserialize(content=as_rdf.text, format="rdf", rdf_format="json-ld")
    assert len(list(parsed.get_records())) > 5 and len(list(graph.get_records())) > 5


async def test_comparison_csv_comes_as_a_download_with_an_optional_bom(db: AsyncEngine) -> None:
    # given
    path = await sukhoi_path(db)
    # when
    response = await get(db, f"{path}/comparison.csv?bom=true")
    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and rows[0]["source"] == "Kyodo"


@pytest.mark.parametrize("suffix", ["claimreview.jsonld", "prov.json", "comparison.csv"])
async def test_an_unknown_claim_is_404(db: AsyncEngine, suffix: str) -> None:
    for claim in (
        quote(encode_id("Claim", 999999), safe=""),
        "not-an-id",
        quote(encode_id("Source", 1), safe=""),
    ):
        response = await get(db, f"/claims/{claim}/{suffix}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_reads_follow_the_read_policy(db: AsyncEngine) -> None:
    # given
    path = await sukhoi_path(db)
    reader = await new_key(db, Role.READER, "reader")
    # when
    anonymous = await get(db, f"{path}/prov.json", settings=PRIVATE)
    bad_key = await get(db, f"{path}/prov.json", settings=PRIVATE, key="cg_wrong")
    with_key = await get(db, f"{path}/prov.json", settings=PRIVATE, key=reader)
    # then
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert orjson.loads(anonymous.content)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert bad_key.status_code == 401
    assert with_key.status_code == 200
