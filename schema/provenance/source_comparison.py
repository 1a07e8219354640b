"""compareSources: what two sources report in common and apart."""

from __future__ import annotations

import strawberry
from sqlalchemy import RowMapping

from api.errors import ErrorCode
from api.provenance import source_comparison as compare
from api.provenance.source_comparison import ONLY_A, ONLY_B, SHARED
from schema.claims.types import Claim
from schema.context import Info
from schema.errors import ClientError
from schema.ids import decode_typed
from schema.pagination import Connection, connection, page_request
from schema.provenance.types import Attribution
from schema.sources.types import Source, load_source


@strawberry.type(description="One claim reported by both sources of a comparison.")
class ClaimAgreement:
    claim: Claim
    agrees: bool = strawberry.field(
        description="True when a and b take the same stance on the claim."
    )
    a_pk: strawberry.Private[int]
    b_pk: strawberry.Private[int]
    include_suggested: strawberry.Private[bool]

    @classmethod
    def from_row(cls, row: RowMapping, a: int, b: int, include: bool) -> ClaimAgreement:
        return cls(
            claim=Claim.from_row(row),
            agrees=row["stance_a"] == row["stance_b"],
            a_pk=a,
            b_pk=b,
            include_suggested=include,
        )

    async def _through(self, info: Info, source: int) -> list[Attribution]:
        key = (self.claim.pk, source, self.include_suggested)
        rows = await info.context.loaders.attributions_through.load(key)
        return [Attribution.from_row(row) for row in rows]

    @strawberry.field(description="The attributions of the claim whose chain contains source a.")
    async def a(self, info: Info) -> list[Attribution]:
        return await self._through(info, self.a_pk)

    @strawberry.field(description="The attributions of the claim whose chain contains source b.")
    async def b(self, info: Info) -> list[Attribution]:
        return await self._through(info, self.b_pk)


@strawberry.type(
    description=(
        "What two sources report in common and apart. A source reports a claim when it stands"
        " anywhere in an attribution's chain; its stance is that of the latest such attribution."
    )
)
class SourceComparison:
    a: Source
    b: Source
    include_suggested: strawberry.Private[bool]

    @strawberry.field(description="Claims reported by both, newest first.")
    async def shared(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ClaimAgreement]:
        request = page_request(SHARED, first, after)
        a, b, include = self.a.pk, self.b.pk, self.include_suggested
        loaders = info.context.loaders
        page = await loaders.read(lambda c: compare.shared_page(c, a, b, request, include))

        async def count() -> int:
            return (await loaders.read(lambda c: compare.agreement(c, a, b, include)))[0]

        return connection(page, lambda row: ClaimAgreement.from_row(row, a, b, include), count)

    @strawberry.field(description="Claims reported by a and not by b, newest first.")
    async def only_a(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Claim]:
        return await _only(info, self.a.pk, self.b.pk, first, after, ONLY_A, self.include_suggested)

    @strawberry.field(description="Claims reported by b and not by a, newest first.")
    async def only_b(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Claim]:
        return await _only(info, self.b.pk, self.a.pk, first, after, ONLY_B, self.include_suggested)

    @strawberry.field(
        description=(
            "The share of shared claims on which both take the same stance; null when they"
            " share none."
        )
    )
    async def agreement_rate(self, info: Info) -> float | None:
        a, b, include = self.a.pk, self.b.pk, self.include_suggested
        return (await info.context.loaders.read(lambda c: compare.agreement(c, a, b, include)))[1]


async def _only(
    info: Info,
    source: int,
    absent: int,
    first: int | None,
    after: str | None,
    keyset: compare.Keyset,
    include: bool,
) -> Connection[Claim]:
    request = page_request(keyset, first, after)
    loaders = info.context.loaders
    page = await loaders.read(
        lambda c: compare.only_page(c, source, absent, request, keyset, include)
    )
    return connection(
        page,
        Claim.from_row,
        lambda: loaders.read(lambda c: compare.only_count(c, source, absent, include)),
    )


async def _source(info: Info, global_id: strawberry.ID, argument: str) -> Source:
    pk = decode_typed(global_id, "Source")
    source = None if pk is None else await load_source(info, pk)
    if source is None:
        raise ClientError(f"{argument}: {global_id!r} names no source", ErrorCode.NOT_FOUND)
    return source


async def resolve_compare_sources(
    info: Info, a: strawberry.ID, b: strawberry.ID, include_suggested: bool = True
) -> SourceComparison | None:
    return SourceComparison(
        a=await _source(info, a, "a"),
        b=await _source(info, b, "b"),
        include_suggested=include_suggested,
    )
