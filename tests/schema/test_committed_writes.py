"""A write that committed answers with what it wrote; an answer that says "retry" wrote nothing.

Real PostgreSQL, real faults: connections are terminated with pg_terminate_backend right
after a mutation's COMMIT (every later read of the request fails) or during its COMMIT.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Connection, event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

import schema.context
from schema.loaders import Connector, Loaders
from tests import factories
from tests.support.app import GraphQLClient

CREATE_SOURCE_WITH_ATTRIBUTIONS = """
mutation($input: CreateSourceInput!) {
  createSource(input: $input) {
    source { id name attributions { totalCount } }
    errors { message field code }
  }
}"""

ADD_ATTRIBUTION_WITH_AFFILIATION = """
mutation($input: AddAttributionInput!) {
  addAttribution(input: $input) {
    attribution { id confidence source { id name affiliation { name } } }
    errors { message field code }
  }
}"""

CREATE_SOURCE_ONCE = """
mutation($input: CreateSourceInput!) {
  createSource(input: $input) {
    source { id name }
    errors { message field code }
    clientMutationId
  }
}"""

NODE = "query($id: ID!) { node(id: $id) { ... on Source { name } } }"


@dataclass
class Fault:
    """Terminates backends from a connection of its own, as an outage or an admin would."""

    admin: asyncpg.Connection
    armed: bool = False
    committed: bool = False  # an armed fault saw a COMMIT: later reads find no database

    def after_commit(self, session: Session) -> None:
        self.committed = self.committed or self.armed

    async def terminate(self, pid: int) -> None:
        assert await self.admin.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)


class ReadsDieAfterCommit:
    """A request's reads connector whose connections are terminated, once a write has
    committed, between checkout and first use: PostgreSQL went away after the COMMIT."""

    def __init__(self, inner: Connector, fault: Fault) -> None:
        self.inner = inner
        self.fault = fault

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self.inner.connect() as connection:
            if self.fault.committed:
                driver: Any = (await connection.get_raw_connection()).driver_connection
                await self.fault.terminate(driver.get_server_pid())
            yield connection


@pytest.fixture
async def fault(database_url: str) -> AsyncIterator[Fault]:
    admin = await asyncpg.connect(database_url)
    try:
        yield Fault(admin)
    finally:
        await admin.close()


@pytest.fixture
def reads_die_after_commit(fault: Fault, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fault]:
    """Armed (`fault.armed = True`), the first COMMIT cuts every read after it."""
    monkeypatch.setattr(
        schema.context, "Loaders", lambda engine: Loaders(ReadsDieAfterCommit(engine, fault))
    )
    event.listen(Session, "after_commit", fault.after_commit)
    yield fault
    event.remove(Session, "after_commit", fault.after_commit)


async def _sources_named(db: AsyncEngine, name: str) -> int:
    async with db.connect() as connection:
        query = text("SELECT count(*) FROM source WHERE name = :name")
        return int((await connection.execute(query, {"name": name})).scalar_one())


async def test_a_created_source_answers_with_what_it_wrote_though_every_read_after_commit_fails(
    db: AsyncEngine, gql: GraphQLClient, reads_die_after_commit: Fault
) -> None:
    # given: an affiliation, then a database that goes away right after the next COMMIT
    rusi = await factories.source(gql, "RUSI", "THINK_TANK")
    reads_die_after_commit.armed = True
    # when
    body = await gql.raw(
        factories.CREATE_SOURCE,
        {"input": {"name": "Jack Watling", "kind": "PERSON", "affiliationId": rusi}},
    )
    # then: the source as written, not an error inviting a retry
    assert reads_die_after_commit.committed
    assert "errors" not in body, body
    payload = body["data"]["createSource"]
    assert payload["errors"] == []
    source = payload["source"]
    assert factories.decode(source["id"]) > 0
    assert (source["name"], source["kind"]) == ("Jack Watling", "PERSON")
    assert source["affiliation"] == {"id": rusi, "name": "RUSI"}
    # and it was written exactly once
    assert await _sources_named(db, "Jack Watling") == 1


async def test_an_added_attribution_answers_with_its_claim_document_and_chain(
    db: AsyncEngine, gql: GraphQLClient, reads_die_after_commit: Fault
) -> None:
    # given
    claim = await factories.claim(gql)
    document = await factories.document(gql)
    kcna = await factories.source(gql, "KCNA")
    unnamed = await factories.source(gql, "unnamed officials", "PERSON")
    reads_die_after_commit.armed = True
    # when
    body = await gql.raw(
        factories.ADD_ATTRIBUTION,
        {"input": {"claimId": claim, "documentId": document, "sourceId": kcna, "via": [unnamed]}},
    )
    # then: every object the attribution names came from the write's own transaction
    assert reads_die_after_commit.committed
    assert "errors" not in body, body
    attribution = body["data"]["addAttribution"]["attribution"]
    assert (attribution["claim"]["id"], attribution["document"]["id"]) == (claim, document)
    assert attribution["source"] == {"id": kcna, "name": "KCNA"}
    assert [s["name"] for s in attribution["chain"]] == ["KCNA", "unnamed officials"]
    assert attribution["origin"]["name"] == "unnamed officials"
    async with db.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM attribution"))).scalar() == 1


async def test_a_field_read_after_commit_that_fails_says_committed_and_the_rest_is_there(
    gql: GraphQLClient, reads_die_after_commit: Fault
) -> None:
    # given: a source's affiliation, which an attribution's payload reads after COMMIT
    government = await factories.source(gql, "DPRK government", "GOVERNMENT")
    kcna = await factories.source(gql, "KCNA", affiliationId=government)
    document = await factories.document(gql)
    claim = await factories.claim(gql)
    reads_die_after_commit.armed = True
    # when
    body = await gql.raw(
        ADD_ATTRIBUTION_WITH_AFFILIATION,
        {"input": {"claimId": claim, "documentId": document, "sourceId": kcna}},
    )
    # then: the attribution is in the answer; only the affiliation is missing, and its
    # error says the write committed (no retry), naming what was written
    attribution = body["data"]["addAttribution"]["attribution"]
    assert attribution["confidence"] == 1.0
    assert attribution["source"] == {"id": kcna, "name": "KCNA", "affiliation": None}
    [error] = body["errors"]
    assert error["path"] == ["addAttribution", "attribution", "source", "affiliation"]
    assert error["extensions"] == {"code": "COMMITTED_READ_FAILED", "id": attribution["id"]}
    assert "do not send the mutation again" in error["message"]


async def test_a_list_read_after_commit_that_fails_still_names_what_was_written(
    db: AsyncEngine, gql: GraphQLClient, reads_die_after_commit: Fault
) -> None:
    # given: a database that goes away right after the next COMMIT
    reads_die_after_commit.armed = True
    # when: the payload asks for a connection, which is read after COMMIT and cannot be
    # null, so its failure takes the source with it
    body = await gql.raw(
        CREATE_SOURCE_WITH_ATTRIBUTIONS, {"input": {"name": "KCNA", "kind": "OTHER"}}
    )
    # then: no error says "retry"; each says committed and names the source
    assert body["data"]["createSource"]["source"] is None
    assert body["errors"]
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert codes == {"COMMITTED_READ_FAILED"}
    [written] = {error["extensions"]["id"] for error in body["errors"]}
    # and that source exists, once, readable once the database is back
    reads_die_after_commit.committed = reads_die_after_commit.armed = False
    assert await gql(NODE, {"id": written}) == {"node": {"name": "KCNA"}}
    assert await _sources_named(db, "KCNA") == 1


@dataclass(eq=False)  # hashable: SQLAlchemy keeps listeners in weak dicts
class CommitCut:
    """Terminates the connection of the transaction that created `name`, at its COMMIT:
    before COMMIT reaches PostgreSQL, or after (committed, but the answer is lost)."""

    fault: Fault
    name: str
    committed_first: bool
    cut: bool = False

    def __call__(self, connection: Connection) -> None:
        driver: Any = connection.connection.driver_connection
        if self.cut or not self._creates_it(driver):
            return
        self.cut = True
        if self.committed_first:
            await_only(driver.execute("COMMIT"))
        await_only(self.fault.terminate(driver.get_server_pid()))

    def _creates_it(self, driver: Any) -> bool:
        query = "SELECT EXISTS (SELECT FROM source WHERE name = $1)"
        return bool(await_only(driver.fetchval(query, self.name)))


@pytest.mark.parametrize("committed_first", [False, True], ids=["lost-before", "lost-after"])
async def test_a_commit_cut_off_is_in_doubt_and_the_same_client_mutation_id_writes_once(
    db: AsyncEngine, gql: GraphQLClient, fault: Fault, committed_first: bool
) -> None:
    # given: the connection is lost at the COMMIT of the write
    cut = CommitCut(fault, "KCNA", committed_first)
    variables = {"input": {"name": "KCNA", "kind": "OTHER", "clientMutationId": "c-1"}}
    event.listen(db.sync_engine, "commit", cut)
    try:
        # when
        body = await gql.raw(CREATE_SOURCE_ONCE, variables)
    finally:
        event.remove(db.sync_engine, "commit", cut)
    # then: the answer says neither "written" nor "retry": it cannot know
    assert cut.cut
    assert body["data"] is None
    [error] = body["errors"]
    assert error["path"] == ["createSource"]
    assert error["extensions"] == {"code": "COMMIT_UNKNOWN"}
    assert "may or may not have been stored" in error["message"]
    assert await _sources_named(db, "KCNA") == (1 if committed_first else 0)
    # when the client sends it again as it was
    payload = (await gql(CREATE_SOURCE_ONCE, variables))["createSource"]
    # then it is stored exactly once either way
    assert payload["source"]["name"] == "KCNA"
    assert await _sources_named(db, "KCNA") == 1
