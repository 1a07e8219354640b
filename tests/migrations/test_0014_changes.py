"""Migration 0014 remembers the claims contested before it, so upgrading announces none."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.db import create_session_factory
from api.enums import Stance
from api.live import recording  # noqa: F401  (the before-commit hook)
from tests.migrations.test_migrations import empty_engine
from tests.support.stored import claim, report, source

__all__ = ["empty_engine"]

STORY = """
INSERT INTO source (name, kind) VALUES ('KCNA', 'NEWS_AGENCY'), ('TASS', 'NEWS_AGENCY');
INSERT INTO document (title, language) VALUES ('Ein Artikel', 'de');
INSERT INTO claim (statement, language) VALUES ('Umstritten', 'de'), ('Einig', 'de');
INSERT INTO attribution (claim_id, document_id, source_id, stance)
VALUES (1, 1, 1, 'AFFIRMS'), (1, 1, 2, 'DENIES'), (2, 1, 1, 'AFFIRMS'), (2, 1, 2, 'AFFIRMS');
INSERT INTO attribution_chain (attribution_id, position, role, source_id, claim_id)
VALUES (1, 0, 'SOURCE', 1, 1), (2, 0, 'SOURCE', 2, 1), (3, 0, 'SOURCE', 1, 2),
       (4, 0, 'SOURCE', 2, 2);
"""


async def test_claims_contested_before_0014_are_not_announced_after_it(
    empty_engine: AsyncEngine,
) -> None:
    # given: a database at 0013 with one contested claim and one agreed
    await migrate.upgrade(empty_engine, "0013")
    async with empty_engine.begin() as connection:
        for statement in STORY.split(";"):
            if statement.strip():
                await connection.execute(text(statement))
    # when: it is upgraded, and a third source denies both claims
    await migrate.upgrade(empty_engine, "0014")
    async with create_session_factory(empty_engine).begin() as session:
        ria = await source(session, "RIA")
        for claim_id in (1, 2):
            await report(session, claim_id, ria, stance=Stance.DENIES)
        await claim(session, "Neu")
    # then: only the claim agreed until now became contested
    async with empty_engine.connect() as connection:
        contested = (
            await connection.execute(
                text("SELECT claim_id FROM change WHERE kind = 'CLAIM_CONTESTED'")
            )
        ).all()
        memo = (
            await connection.execute(
                text("SELECT claim_id, contested FROM claim_contested ORDER BY claim_id")
            )
        ).all()
    assert [tuple(row) for row in contested] == [(2,)]
    assert [tuple(row) for row in memo] == [(1, True), (2, True)]
