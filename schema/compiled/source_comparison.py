"""compareSources in SQL: the `source_claim` summary walked as api/provenance/
source_comparison.py walks it, with the same keysets, counts and rates.

Whether both sources exist is only known to the database; the statement reports it
alongside the data (`Walk.checks`), and when one is missing the request runs down the
resolver path, which reports the NOT_FOUND error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphql import GraphQLObjectType, get_named_type
from graphql.execution.collect_fields import FieldDetailsList

from api.enums import ReviewStatus
from api.provenance.source_comparison import ONLY_A, ONLY_B, SHARED
from schema.compiled import sqltext
from schema.compiled.connections import Listing, NodeJson, connection_json, page_request
from schema.compiled.objects import fetch_one, object_json
from schema.compiled.walk import NotCompilable, Walk
from schema.ids import decode_typed

IGNORED = ", ".join(f"'{status.value}'" for status in ReviewStatus.ignored())


@dataclass(frozen=True)
class Pair:
    """The two sources (as bound parameters) and whether suggestions count."""

    a: str
    b: str
    include: bool

    def stance(self, side: str) -> str:
        return f"{side}.stance" if self.include else f"{side}.confirmed_stance"

    def reports(self, side: str) -> str:
        return "true" if self.include else f"{side}.confirmed_stance IS NOT NULL"


def compare_sources(walk: Walk, root: GraphQLObjectType, details: FieldDetailsList) -> str:
    arguments = walk.arguments(root.fields["compareSources"], details)
    a = decode_typed(arguments["a"], "Source")
    b = decode_typed(arguments["b"], "Source")
    if a is None or b is None:
        raise NotCompilable("compareSources names no source")
    pair = Pair(walk.param(a, "bigint"), walk.param(b, "bigint"), arguments["includeSuggested"])
    for pk in (pair.a, pair.b):
        walk.checks.append(f"EXISTS (SELECT 1 FROM source WHERE id = {pk})")
    comparison = get_named_type(root.fields["compareSources"].type)
    assert isinstance(comparison, GraphQLObjectType)
    pairs: list[str] = []
    for key, field_details in walk.subfields(comparison, details).items():
        pairs += [sqltext.quoted(key), _field(walk, comparison, field_details, pair)]
    return f"json_build_object({', '.join(pairs)})"


def _field(walk: Walk, comparison: GraphQLObjectType, details: FieldDetailsList, pair: Pair) -> str:
    name = details[0].node.name.value
    if name == "__typename":
        return sqltext.quoted(comparison.name)
    if name in ("a", "b"):
        return fetch_one(walk, "Source", details, pair.a if name == "a" else pair.b)
    if name == "agreementRate":
        mine, theirs = walk.alias("mine"), walk.alias("theirs")
        same = f"{pair.stance(mine)} = {pair.stance(theirs)}"
        rate = (
            f"(SELECT avg(CASE WHEN {same} THEN 1.0 ELSE 0.0 END)::float8"
            f" FROM {_both(pair, mine, theirs)})"
        )
        return sqltext.json_float(rate)
    if name == "shared":
        listing = Listing(_shared_rows(walk, pair), SHARED, "sort_key", _true, _shared_count(pair))
        request = page_request(walk, SHARED, details, comparison)
        return connection_json(walk, comparison, details, listing, request, _agreement(pair))
    if name in ("onlyA", "onlyB"):
        keyset = ONLY_A if name == "onlyA" else ONLY_B
        source, absent = (pair.a, pair.b) if name == "onlyA" else (pair.b, pair.a)
        rows = _only_rows(walk, pair, source, absent)
        listing = Listing(rows, keyset, "sort_key", _true, _only_count(pair, source, absent))
        request = page_request(walk, keyset, details, comparison)
        return connection_json(walk, comparison, details, listing, request)
    raise NotCompilable(f"SourceComparison.{name}")


def _true(row: str) -> str:
    return "true"


def _both(pair: Pair, mine: str, theirs: str) -> str:
    """source_comparison._both: a's reports joined to b's of the same claim."""
    return (
        f"source_claim {mine} JOIN source_claim {theirs} ON {theirs}.claim_id = {mine}.claim_id"
        f" AND {theirs}.source_id = {pair.b} AND {pair.reports(theirs)}"
        f" WHERE {mine}.source_id = {pair.a} AND {pair.reports(mine)}"
    )


def _shared_count(pair: Pair) -> Callable[[Walk], str]:
    """source_comparison.agreement's count: no claim rows needed."""

    def count(walk: Walk) -> str:
        mine, theirs = walk.alias("mine"), walk.alias("theirs")
        return f"(SELECT count(*) FROM {_both(pair, mine, theirs)})"

    return count


def _only_count(pair: Pair, source: str, absent: str) -> Callable[[Walk], str]:
    """source_comparison.only_count: no claim rows needed."""

    def count(walk: Walk) -> str:
        mine, theirs = walk.alias("mine"), walk.alias("theirs")
        return (
            f"(SELECT count(*) FROM source_claim {mine} WHERE {mine}.source_id = {source}"
            f" AND {pair.reports(mine)} AND NOT EXISTS (SELECT 1 FROM source_claim {theirs}"
            f" WHERE {theirs}.source_id = {absent} AND {theirs}.claim_id = {mine}.claim_id"
            f" AND {pair.reports(theirs)}))"
        )

    return count


def _shared_rows(walk: Walk, pair: Pair) -> str:
    mine, theirs, c = walk.alias("mine"), walk.alias("theirs"), walk.alias("c")
    return (
        f"(SELECT {c}.*, {mine}.claim_created_at AS sort_key,"
        f" {pair.stance(mine)} AS stance_a, {pair.stance(theirs)} AS stance_b"
        f" FROM source_claim {mine} JOIN source_claim {theirs}"
        f" ON {theirs}.claim_id = {mine}.claim_id AND {theirs}.source_id = {pair.b}"
        f" AND {pair.reports(theirs)} JOIN claim {c} ON {c}.id = {mine}.claim_id"
        f" WHERE {mine}.source_id = {pair.a} AND {pair.reports(mine)})"
    )


def _only_rows(walk: Walk, pair: Pair, source: str, absent: str) -> str:
    mine, theirs, c = walk.alias("mine"), walk.alias("theirs"), walk.alias("c")
    return (
        f"(SELECT {c}.*, {mine}.claim_created_at AS sort_key FROM source_claim {mine}"
        f" JOIN claim {c} ON {c}.id = {mine}.claim_id"
        f" WHERE {mine}.source_id = {source} AND {pair.reports(mine)} AND NOT EXISTS"
        f" (SELECT 1 FROM source_claim {theirs} WHERE {theirs}.source_id = {absent}"
        f" AND {theirs}.claim_id = {mine}.claim_id AND {pair.reports(theirs)}))"
    )


def _agreement(pair: Pair) -> NodeJson:
    """ClaimAgreement over a shared row: the claim's columns, stance_a and stance_b."""

    def render(walk: Walk, type_: GraphQLObjectType, details: FieldDetailsList, row: str) -> str:
        pairs: list[str] = []
        for key, field_details in walk.subfields(type_, details).items():
            name = field_details[0].node.name.value
            if name == "__typename":
                value = sqltext.quoted(type_.name)
            elif name == "agrees":
                value = f"({row}.stance_a IS NOT DISTINCT FROM {row}.stance_b)"
            elif name == "claim":
                claim = get_named_type(type_.fields["claim"].type)
                assert isinstance(claim, GraphQLObjectType)
                value = object_json(walk, claim, field_details, row)
            elif name in ("a", "b"):
                value = _through(walk, field_details, row, pair.a if name == "a" else pair.b, pair)
            else:
                raise NotCompilable(f"ClaimAgreement.{name}")
            pairs += [sqltext.quoted(key), value]
        return f"json_build_object({', '.join(pairs)})"

    return render


def _through(walk: Walk, details: FieldDetailsList, row: str, source: str, pair: Pair) -> str:
    """source_comparison.attributions_through: the claim's attributions citing `source`."""
    attribution = walk.schema.get_type("Attribution")
    assert isinstance(attribution, GraphQLObjectType)
    t, link = walk.alias("t"), walk.alias("l")
    body = object_json(walk, attribution, details, t)
    confirmed = "" if pair.include else f" AND {t}.review_status = 'CONFIRMED'"
    return (
        f"coalesce((SELECT json_agg({body} ORDER BY {t}.reported_at ASC NULLS LAST, {t}.id)"
        f" FROM attribution {t} WHERE {t}.id IN (SELECT {link}.attribution_id"
        f" FROM attribution_chain {link} WHERE {link}.claim_id = {row}.id"
        f" AND {link}.source_id = {source}) AND {t}.review_status NOT IN ({IGNORED}){confirmed}),"
        " '[]'::json)"
    )
