"""Hypothesis strategies for read queries in (and around) the compiled subset.

Each drawn query is a `Drawn`: the document, its variables, and whether every
argument in it is valid, in which case the compiled path must take it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLField, GraphQLObjectType
from hypothesis import strategies as st

from api.pagination import (
    CLAIM_ATTRIBUTIONS,
    CLAIMS,
    DOCUMENT_ATTRIBUTIONS,
    DOCUMENTS,
    SOURCE_ATTRIBUTIONS,
    SOURCES,
    Keyset,
)
from api.provenance.source_comparison import ONLY_A, ONLY_B, SHARED
from schema import build_schema
from schema.fields import Column, GlobalId, declaration
from schema.ids import encode_id
from tests.schema.compiled.dataset import Dataset

SCALAR = (Column, GlobalId)
_SCHEMA = build_schema()._schema


def _fields(type_name: str) -> dict[str, GraphQLField]:
    found = _SCHEMA.get_type(type_name)
    assert isinstance(found, GraphQLObjectType)
    return found.fields


# The scalars each type declares as stored (schema/fields.py): a field declared later
# is drawn without being listed here.
SCALARS = {
    name: [key for key, field in _fields(name).items() if isinstance(declaration(field), SCALAR)]
    for name in ("Source", "Document", "Claim", "Attribution", "Quantity")
}
OBJECTS = {
    "Source": {"affiliation": "Source"},
    "Document": {"publisher": "Source"},
    "Claim": {},
    "Attribution": {
        "claim": "Claim",
        "document": "Document",
        "source": "Source",
        "via": "Source",
        "chain": "Source",
        "origin": "Source",
        "quantity": "Quantity",
    },
    "Quantity": {},
}
CONNECTIONS: dict[str, Keyset] = {
    "Claim": CLAIM_ATTRIBUTIONS,
    "Document": DOCUMENT_ATTRIBUTIONS,
    "Source": SOURCE_ATTRIBUTIONS,
}
NODE_TYPES = ["Source", "Document", "Claim", "Attribution"]
SIZES = [None, 0, 1, 2, 3, 100]
BAD_SIZES = [-1, 101]


@dataclass
class Drawn:
    """A query under construction."""

    data: Dataset
    fragments: list[str] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    declared: dict[str, str] = field(default_factory=dict)
    valid: bool = True
    names: int = 0

    def name(self, stem: str) -> str:
        self.names += 1
        return f"{stem}{self.names}"

    def variable(self, graphql_type: str, value: Any) -> str:
        name = self.name("v")
        self.declared[name] = graphql_type
        self.variables[name] = value
        return f"${name}"


class Builder:
    def __init__(self, draw: st.DrawFn, drawn: Drawn) -> None:
        self.draw = draw
        self.q = drawn

    def key(self, name: str) -> str:
        """The field, sometimes under an alias (unique, so that fields never conflict)."""
        return f"{self.q.name('a')}: {name}" if self.draw(st.booleans()) else name

    def directive(self) -> str:
        choice = self.draw(st.sampled_from(["", "", "", "include", "skip"]))
        if not choice:
            return ""
        value = self.draw(st.booleans())
        if self.draw(st.booleans()):
            return f" @{choice}(if: {self.q.variable('Boolean!', value)})"
        return f" @{choice}(if: {'true' if value else 'false'})"

    def selection(self, type_name: str, depth: int) -> str:
        parts = [
            self.key(f) + self.directive()
            for f in self.draw(
                st.lists(
                    st.sampled_from([*SCALARS[type_name], "__typename"]), min_size=1, max_size=4
                )
            )
        ]
        if depth > 0:
            for name, target in OBJECTS[type_name].items():
                if self.draw(st.integers(0, 4)) == 0:
                    inner = self.selection(target, depth - 1)
                    parts.append(f"{self.key(name)}{self.directive()} {{ {inner} }}")
            if type_name in CONNECTIONS and self.draw(st.integers(0, 2)) == 0:
                parts.append(self.connection(type_name, depth - 1))
        return self.wrap(type_name, " ".join(parts))

    def wrap(self, type_name: str, body: str) -> str:
        """The selection as it is, in an inline fragment, or in a named fragment."""
        how = self.draw(st.sampled_from(["plain", "plain", "inline", "named"]))
        if how == "inline":
            return f"... on {type_name}{self.directive()} {{ {body} }}"
        if how == "named":
            name = self.q.name("F")
            self.q.fragments.append(f"fragment {name} on {type_name} {{ {body} }}")
            return f"...{name}{self.directive()}"
        return body

    def page_arguments(self, keyset: Keyset) -> list[str]:
        arguments = []
        first = self.draw(st.sampled_from([*SIZES, *SIZES, *SIZES, *BAD_SIZES]))
        self.q.valid &= first not in BAD_SIZES
        if first is not None:
            literal = str(first)
            arguments.append(
                f"first: {self.q.variable('Int', first) if self.draw(st.booleans()) else literal}"
            )
        after = self.draw(
            st.sampled_from(["none", "none", "none", "valid", "valid", "bad", "other"])
        )
        if after != "none":
            cursor = self.cursor(keyset, after)
            self.q.valid &= after == "valid"
            use_variable = self.draw(st.booleans())
            value = self.q.variable("String", cursor) if use_variable else repr_string(cursor)
            arguments.append(f"after: {value}")
        return arguments

    def cursor(self, keyset: Keyset, how: str) -> str:
        if how == "bad":
            return self.draw(
                st.sampled_from(["", "nope", "W10", base64.b64encode(b'["claims"]').decode()])
            )
        if how == "other":
            keyset = CLAIMS if keyset is not CLAIMS else CLAIM_ATTRIBUTIONS
            return keyset.encode(None, 1)
        keys: list[tuple[Any, int]]
        if keyset in (CLAIMS, SHARED, ONLY_A, ONLY_B):
            keys = list(self.q.data.claim_keys)
        elif keyset is SOURCES:
            keys = list(self.q.data.source_keys)
        elif keyset is DOCUMENTS:
            keys = list(self.q.data.document_keys)
        elif keyset is DOCUMENT_ATTRIBUTIONS:
            keys = list(self.q.data.quote_starts)
        else:
            keys = list(self.q.data.reported)
        if not keys:
            keys = [(None, 1)] if keyset.nullable else [(self.q.data.claim_keys[0][0], 1)]
        key, pk = self.draw(st.sampled_from(keys))
        return keyset.encode(key, pk)

    def connection(self, type_name: str, depth: int) -> str:
        parts = []
        if self.draw(st.booleans()):
            parts.append(self.key("totalCount"))
        if self.draw(st.booleans()):
            info = self.draw(
                st.lists(
                    st.sampled_from(
                        ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"]
                    ),
                    min_size=1,
                    max_size=3,
                )
            )
            parts.append(f"{self.key('pageInfo')} {{ {' '.join(self.key(f) for f in info)} }}")
        edge = [self.key("cursor")] if self.draw(st.booleans()) else []
        edge.append(f"{self.key('node')} {{ {self.selection('Attribution', depth)} }}")
        parts.append(f"{self.key('edges')} {{ {' '.join(edge)} }}")
        if self.draw(st.booleans()):
            parts.append("__typename")
        arguments = arguments_of(self.page_arguments(CONNECTIONS[type_name]))
        return f"{self.key('attributions')}{arguments} {{ {' '.join(parts)} }}"

    def global_id(self) -> str:
        data = self.q.data
        kind = self.draw(st.sampled_from(["real", "real", "real", "merged", "missing", "bad"]))
        if kind == "bad":
            self.q.valid = False
            return self.draw(
                st.sampled_from(
                    [
                        "",
                        "abc",
                        encode_id("Foo", 1),
                        base64.b64encode(b"Claim:0").decode(),
                        base64.b64encode(b"Claim:-1").decode(),
                        base64.b64encode(b"Claim:x").decode(),
                    ]
                )
            )
        type_name = self.draw(st.sampled_from(NODE_TYPES))
        counts = {
            "Source": data.sources,
            "Document": data.documents,
            "Claim": data.claims,
            "Attribution": data.attributions,
        }
        if kind == "merged" and data.merged:
            return encode_id("Claim", self.draw(st.sampled_from(data.merged)))
        if kind == "missing" or counts[type_name] == 0:
            return encode_id(type_name, counts[type_name] + 1000)
        return encode_id(type_name, self.draw(st.integers(1, counts[type_name])))

    def node_selection(self, depth: int) -> str:
        parts = [self.key("id") if self.draw(st.booleans()) else "__typename"]
        for type_name in self.draw(st.lists(st.sampled_from(NODE_TYPES), max_size=3, unique=True)):
            inner = self.selection(type_name, depth)
            parts.append(f"... on {type_name} {{ {inner} }}")
        return " ".join(parts)

    def root(self) -> str:
        kind = self.draw(
            st.sampled_from(["node", "nodes", "claims", "claims", "lists", "compare", "compare"])
        )
        if kind == "compare":
            return self.compare(self.draw(st.integers(0, 1)))
        depth = self.draw(st.integers(0, 2))
        if kind == "node":
            global_id = self.global_id()
            argument = (
                self.q.variable("ID!", global_id)
                if self.draw(st.booleans())
                else repr_string(global_id)
            )
            return f"{self.key('node')}(id: {argument}) {{ {self.node_selection(depth)} }}"
        if kind == "nodes":
            ids = [self.global_id() for _ in range(self.draw(st.integers(0, 4)))]
            listed = ", ".join(repr_string(i) for i in ids)
            return f"{self.key('nodes')}(ids: [{listed}]) {{ {self.node_selection(depth)} }}"
        if kind == "claims":
            return self.top_list("claims", "Claim", depth)
        return self.top_list(self.draw(st.sampled_from(["sources", "documents"])), None, depth)

    def top_list(self, field_name: str, type_name: str | None, depth: int) -> str:
        if type_name == "Claim":
            arguments = self.page_arguments(CLAIMS) + self.claim_filters()
        else:
            arguments = self.page_arguments(SOURCES if field_name == "sources" else DOCUMENTS)
        node_type = type_name or ("Source" if field_name == "sources" else "Document")
        node = f"{self.key('node')} {{ {self.selection(node_type, depth)} }}"
        parts = [f"{self.key('edges')} {{ {self.key('cursor')} {node} }}"]
        if self.draw(st.booleans()):
            parts.append(self.key("totalCount"))
        if self.draw(st.booleans()):
            parts.append("pageInfo { hasNextPage hasPreviousPage startCursor endCursor }")
        return f"{self.key(field_name)}{arguments_of(arguments)} {{ {' '.join(parts)} }}"

    def source_id(self) -> str:
        kind = self.draw(st.sampled_from(["real", "real", "real", "real", "missing", "bad"]))
        if kind == "real":
            return encode_id("Source", self.draw(st.integers(1, self.q.data.sources)))
        self.q.valid = False
        if kind == "missing":
            return encode_id("Source", self.q.data.sources + 1)
        return self.draw(st.sampled_from(["nope", encode_id("Claim", 1)]))

    def compare(self, depth: int) -> str:
        arguments = [f"a: {repr_string(self.source_id())}", f"b: {repr_string(self.source_id())}"]
        include = self.draw(st.sampled_from([None, True, False]))
        if include is not None:
            arguments.append(f"includeSuggested: {'true' if include else 'false'}")
        parts = []
        for side in ("a", "b"):
            if self.draw(st.integers(0, 3)) == 0:
                parts.append(f"{self.key(side)} {{ {self.selection('Source', depth)} }}")
        if self.draw(st.booleans()):
            parts.append(self.key("agreementRate"))
        if self.draw(st.booleans()):
            parts.append("__typename")
        parts.append(self.shared(depth))
        for name, keyset in (("onlyA", ONLY_A), ("onlyB", ONLY_B)):
            if self.draw(st.integers(0, 2)) == 0:
                node = f"node {{ {self.selection('Claim', depth)} }}"
                page = arguments_of(self.page_arguments(keyset))
                parts.append(f"{self.key(name)}{page} {{ totalCount edges {{ cursor {node} }} }}")
        return f"{self.key('compareSources')}({', '.join(arguments)}) {{ {' '.join(parts)} }}"

    def shared(self, depth: int) -> str:
        node = [self.key("agrees"), f"{self.key('claim')} {{ {self.selection('Claim', depth)} }}"]
        for side in ("a", "b"):
            if self.draw(st.integers(0, 2)) == 0:
                node.append(f"{self.key(side)} {{ {self.selection('Attribution', depth)} }}")
        if self.draw(st.booleans()):
            node.append("__typename")
        parts = [f"{self.key('edges')} {{ {self.key('cursor')} node {{ {' '.join(node)} }} }}"]
        if self.draw(st.booleans()):
            parts.append(self.key("totalCount"))
        if self.draw(st.booleans()):
            parts.append("pageInfo { hasNextPage hasPreviousPage startCursor endCursor }")
        page = arguments_of(self.page_arguments(SHARED))
        return f"{self.key('shared')}{page} {{ {' '.join(parts)} }}"

    def claim_filters(self) -> list[str]:
        choice = self.draw(st.sampled_from(["", "", "source", "document", "bad"]))
        if choice == "source":
            pk = self.draw(st.integers(1, self.q.data.sources))
            return [f"sourceId: {repr_string(encode_id('Source', pk))}"]
        if choice == "document":
            pk = self.draw(st.integers(1, self.q.data.documents))
            return [f"documentId: {repr_string(encode_id('Document', pk))}"]
        if choice == "bad":
            self.q.valid = False
            return [f"sourceId: {repr_string(encode_id('Claim', 1))}"]
        return []


def arguments_of(arguments: list[str]) -> str:
    return f"({', '.join(arguments)})" if arguments else ""


def repr_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def queries(draw: st.DrawFn, data: Dataset) -> Drawn:
    drawn = Drawn(data)
    builder = Builder(draw, drawn)
    roots = [builder.root() for _ in range(draw(st.integers(1, 2)))]
    if draw(st.booleans()):
        roots.append("__typename")
    body = " ".join(roots)
    drawn.fragments.insert(0, body)  # the operation first, then its fragments
    return drawn


def document_of(drawn: Drawn) -> str:
    body, *fragments = drawn.fragments
    declared = ", ".join(f"${n}: {t}" for n, t in drawn.declared.items())
    head = f"query Q({declared})" if declared else "query Q"
    return "\n".join([f"{head} {{ {body} }}", *fragments])
