"""An id names an object in one spelling only: the one the API issued.

`int()` reads `0001`, `+1`, `1_0`, ` 1`, full-width and Arabic-Indic digits as numbers,
and base64 ignores the bits after the last whole byte; none of those spellings is an id.
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange import ids as interchange_ids
from schema.ids import BadId, decode_id, encode_id
from tests import factories
from tests.support.app import GraphQLClient, serving


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _spellings(pk: int) -> list[str]:
    """Every other spelling of claim `pk`'s id that a lenient decoder would accept."""
    digits = str(pk)
    canonical = encode_id("Claim", pk)
    unpadded = canonical.rstrip("=")
    # Standard base64 of 7 bytes ends in two data characters and '='; the last
    # character's low two bits are padding and may be set.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    spelled = [
        _b64(f"Claim:000{digits}"),
        _b64(f"Claim:+{digits}"),
        _b64(f"Claim: {digits}"),
        _b64(f"Claim:{digits} "),
        _b64(f"Claim:{digits}\n"),
        _b64("Claim:" + "".join(chr(0xFF10 + int(d)) for d in digits)),  # full-width
        _b64("Claim:" + "".join(chr(0x0660 + int(d)) for d in digits)),  # Arabic-Indic
        unpadded,
        canonical + "\n",
        " " + canonical,
    ]
    if canonical.endswith("=") and not canonical.endswith("=="):
        last = alphabet.index(unpadded[-1])
        spelled.append(unpadded[:-1] + alphabet[last | 1] + "=")
    return [s for s in spelled if s != canonical]


NON_CANONICAL = [*_spellings(1), *_spellings(3), _b64("Claim:1_0")]


@pytest.mark.parametrize("spelled", NON_CANONICAL)
def test_a_non_canonical_spelling_is_no_id(spelled: str) -> None:
    with pytest.raises(BadId):
        decode_id(spelled)
    assert interchange_ids.decode_typed(spelled, "Claim") is None


def test_issued_ids_read_alike_in_both_base64_alphabets() -> None:
    # "Type:" and ASCII digits never make the 6-bit groups 62 and 63, so the URL-safe
    # alphabet spells an issued id exactly as the standard one does ...
    for type_name in ("Source", "Document", "Claim", "Attribution"):
        spelled = "".join(encode_id(type_name, pk) for pk in range(1, 20_000, 7))
        assert "+" not in spelled and "/" not in spelled
    # ... and '-' or '_' in an id, or a padding character too many, is no id.
    for forged in ("Q2xhaW06M-==", "Q2xhaW06M_==", "Q2xhaW06MQ===", "Q2xhaW06MQ=="[:-1]):
        with pytest.raises(BadId):
            decode_id(forged)
        assert interchange_ids.decode_typed(forged, "Claim") is None


@pytest.mark.parametrize("pk", [1, 3, 10, 4711, 2**63 - 1])
def test_the_issued_id_is_read_back_by_both_readers(pk: int) -> None:
    for type_name in ("Source", "Document", "Claim", "Attribution"):
        issued = encode_id(type_name, pk)
        assert interchange_ids.encode_id(type_name, pk) == issued
        assert decode_id(issued) == (type_name, pk)
        assert interchange_ids.decode_typed(issued, type_name) == pk


def test_a_very_long_id_is_refused_without_echoing_it() -> None:
    with pytest.raises(BadId) as refused:
        decode_id("A" * 100_000)
    assert len(str(refused.value)) < 200


NODE = "query($id: ID!) { node(id: $id) { id } }"
UPDATE_CLAIM = """
mutation($input: UpdateClaimInput!) {
  updateClaim(input: $input) { claim { id } errors { code field } }
}"""
CLAIMS_BY_SOURCE = "query($id: ID) { claims(sourceId: $id) { totalCount } }"


async def test_non_canonical_ids_get_the_answer_of_a_malformed_one(gql: GraphQLClient) -> None:
    # given: claims 1, 2 and 3
    for statement in ("eins", "zwei", "drei"):
        await factories.claim(gql, statement=statement)
    full_width_one, arabic_indic_three = "\uff11", "\u0663"
    for spelled in map(
        _b64, ("Claim:0001", f"Claim:{full_width_one}", f"Claim:{arabic_indic_three}")
    ):
        # when
        found = await gql.raw(NODE, {"id": spelled})
        updated = await factories.mutate(
            gql, UPDATE_CLAIM, "updateClaim", id=spelled, version=1, statement="neu"
        )
        filtered = await gql.raw(CLAIMS_BY_SOURCE, {"id": spelled})
        malformed = await gql.raw(NODE, {"id": "not-an-id"})
        # then
        assert found["data"] == malformed["data"] == {"node": None}
        assert found["errors"][0]["message"] == f"{spelled!r} is not a valid id"
        assert updated == {
            "claim": None,
            "errors": [{"code": "NOT_FOUND", "field": ["input", "id"]}],
        }
        assert "is not a valid id" in filtered["errors"][0]["message"]
    assert (await gql(NODE, {"id": encode_id("Claim", 3)}))["node"] == {"id": encode_id("Claim", 3)}


async def test_the_interchange_routes_answer_404_to_a_non_canonical_id(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    await factories.claim(gql)
    async with serving(db) as client:
        for claim, status in ((encode_id("Claim", 1), 200), (_b64("Claim:01"), 404)):
            # when
            response = await client.get(f"/claims/{quote(claim, safe='')}/prov.json")
            # then
            assert response.status_code == status
