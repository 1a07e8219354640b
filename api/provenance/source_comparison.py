"""What two sources report in common and apart, from the `source_claim` summary.

A source reports a claim when it stands anywhere in the chain of one of the
claim's attributions; its stance is that of the latest such attribution. The
summary table holds exactly that, one row per (source, claim), so each list is a
walk down one index range with a primary-key probe into the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    RowMapping,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY

from api.claims.models import Claim
from api.claims.summary import SourceClaim
from api.db import table_of
from api.enums import ReviewStatus
from api.pagination import Keyset, Page, PageRequest

__all__ = ["ONLY_A", "ONLY_B", "SHARED", "Keyset"]
from api.provenance.models import Attribution, ChainLink
from api.repository import Executor, stored_columns

SHARED = Keyset("shared-claims", "datetime", descending=True, nullable=False)
ONLY_A = Keyset("only-a-claims", "datetime", descending=True, nullable=False)
ONLY_B = Keyset("only-b-claims", "datetime", descending=True, nullable=False)

reports = table_of(SourceClaim)


def _stance(side: Any, include_suggested: bool) -> Any:
    """A side's stance: counting unconfirmed suggestions, or confirmed attributions only."""
    return side.c.stance if include_suggested else side.c.confirmed_stance


def _reports(side: Any, include_suggested: bool) -> ColumnElement[bool]:
    return true() if include_suggested else side.c.confirmed_stance.is_not(None)


claim = table_of(Claim)
attribution = table_of(Attribution)
chain = table_of(ChainLink)


def _both(a: int, b: int, include_suggested: bool) -> tuple[Any, Any, Any]:
    mine, theirs = reports.alias("mine"), reports.alias("theirs")
    joined = mine.join(
        theirs,
        and_(
            theirs.c.claim_id == mine.c.claim_id,
            theirs.c.source_id == b,
            _reports(theirs, include_suggested),
        ),
    )
    return mine, theirs, joined


async def shared_page(
    db: Executor, a: int, b: int, request: PageRequest, include_suggested: bool = True
) -> Page:
    """Claims both report, newest first, each row with `stance_a` and `stance_b`."""
    mine, theirs, joined = _both(a, b, include_suggested)
    key: Any = mine.c.claim_created_at
    query = (
        select(
            *stored_columns(claim),
            key.label("sort_key"),
            _stance(mine, include_suggested).label("stance_a"),
            _stance(theirs, include_suggested).label("stance_b"),
        )
        .select_from(joined)
        .join(claim, claim.c.id == mine.c.claim_id)
        .where(
            mine.c.source_id == a,
            _reports(mine, include_suggested),
            SHARED.after(key, mine.c.claim_id, request.cursor),
        )
        .order_by(*SHARED.order_by(key, mine.c.claim_id))
        .limit(request.first + 1)
    )
    return Page.of((await db.execute(query)).mappings().all(), request, SHARED)


def _only(source: int, absent: int, include_suggested: bool) -> tuple[Any, ColumnElement[bool]]:
    mine, theirs = reports.alias("mine"), reports.alias("theirs")
    missing = ~exists().where(
        theirs.c.source_id == absent,
        theirs.c.claim_id == mine.c.claim_id,
        _reports(theirs, include_suggested),
    )
    return mine, and_(mine.c.source_id == source, _reports(mine, include_suggested), missing)


async def only_page(
    db: Executor,
    source: int,
    absent: int,
    request: PageRequest,
    keyset: Keyset,
    include_suggested: bool = True,
) -> Page:
    """Claims `source` reports and `absent` does not, newest first."""
    mine, where = _only(source, absent, include_suggested)
    key: Any = mine.c.claim_created_at
    query = (
        select(*stored_columns(claim), key.label("sort_key"))
        .select_from(mine)
        .join(claim, claim.c.id == mine.c.claim_id)
        .where(where, keyset.after(key, mine.c.claim_id, request.cursor))
        .order_by(*keyset.order_by(key, mine.c.claim_id))
        .limit(request.first + 1)
    )
    return Page.of((await db.execute(query)).mappings().all(), request, keyset)


async def only_count(db: Executor, source: int, absent: int, include_suggested: bool = True) -> int:
    mine, where = _only(source, absent, include_suggested)
    return int((await db.execute(select(func.count()).select_from(mine).where(where))).scalar_one())


async def agreement(
    db: Executor, a: int, b: int, include_suggested: bool = True
) -> tuple[int, float | None]:
    """How many claims both report, and the share on which their stances agree."""
    mine, theirs, joined = _both(a, b, include_suggested)
    same = _stance(mine, include_suggested) == _stance(theirs, include_suggested)
    query = (
        select(func.count(), func.avg(case((same, 1.0), else_=0.0)))
        .select_from(joined)
        .where(mine.c.source_id == a, _reports(mine, include_suggested))
    )
    count, rate = (await db.execute(query)).one()
    return int(count), None if rate is None else float(rate)


async def attributions_through(
    db: Executor, pairs: Sequence[tuple[int, int]], include_suggested: bool = True
) -> dict[tuple[int, int], list[RowMapping]]:
    """For each (claim, source): the claim's attributions whose chain contains the source.

    Rejected ones never; unconfirmed suggestions unless `include_suggested` is false.
    """
    claims = bindparam("claims", [c for c, _ in pairs], type_=ARRAY(BigInteger))
    sources = bindparam("sources", [s for _, s in pairs], type_=ARRAY(BigInteger))
    wanted = func.unnest(claims, sources).table_valued("claim_id", "source_id").render_derived()
    query = (
        select(
            wanted.c.claim_id.label("for_claim"),
            wanted.c.source_id.label("for_source"),
            *stored_columns(attribution),
        )
        .select_from(wanted)
        .join(
            chain,
            and_(chain.c.claim_id == wanted.c.claim_id, chain.c.source_id == wanted.c.source_id),
        )
        .join(attribution, attribution.c.id == chain.c.attribution_id)
        .where(
            attribution.c.review_status.not_in([s.value for s in ReviewStatus.ignored()]),
            true() if include_suggested else attribution.c.review_status == "CONFIRMED",
        )
        .order_by(attribution.c.reported_at.asc().nulls_last(), attribution.c.id)
        .distinct()
    )
    found: dict[tuple[int, int], list[RowMapping]] = defaultdict(list)
    for row in (await db.execute(query)).mappings():
        found[(row["for_claim"], row["for_source"])].append(row)
    return {pair: found.get(pair, []) for pair in pairs}
