"""GraphQL requests generated from the real schema (schema/schema.graphql).

A `Request` is one operation with its variables: root fields of Query or Mutation chosen
from the schema, each argument given as an inline literal or as a variable, selection
sets walked down the schema's types (through `Node` with inline fragments), and now and
then the document bent out of shape: duplicated and conflicting fields, aliases, named
and circular fragments, wrongly declared or missing variables, unknown fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    is_leaf_type,
)
from hypothesis import strategies as st

from schema import SDL_PATH
from tests.fuzz.values import enum_literal, input_value

SCHEMA: GraphQLSchema = build_schema(SDL_PATH.read_text())
ROOTS = {"query": SCHEMA.query_type, "mutation": SCHEMA.mutation_type}
WRONG_DECLARATIONS = ("String", "Int!", "[ID!]!", "Boolean", "Float!", "JSON", "Nope", "ID")


@dataclass
class Request:
    """One generated GraphQL request; `fields` are the root fields' response keys."""

    operation: str
    document: str
    variables: dict[str, Any]
    fields: list[str]


@dataclass
class _Builder:
    draw: st.DrawFn
    typed: bool
    variables: dict[str, Any] = field(default_factory=dict)
    declarations: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)

    def chance(self, one_in: int) -> bool:
        # The last value, not 0: hypothesis shrinks towards 0, so the simplest request
        # stays a plain one and a failure shrinks away the oddities it does not need.
        return self.draw(_dice(one_in)) == one_in - 1

    def arguments(self, definition: GraphQLField) -> str:
        parts = []
        for name, argument in definition.args.items():
            required = argument.type.__class__.__name__ == "GraphQLNonNull"
            if not required and not self.chance(2):
                continue
            parts.append(f"{name}: {self.argument(argument)}")
        if not self.typed and self.chance(10):
            parts.append(f"bogus: {self.draw(st.sampled_from(['1', 'null', '$nope', '{a: 1}']))}")
        return f"({', '.join(parts)})" if parts else ""

    def argument(self, argument: GraphQLArgument) -> str:
        value = self.draw(input_value(argument.type, self.typed))
        if self.chance(2):
            return enum_literal(value, argument.type)
        name = f"v{len(self.variables)}"
        declared = str(argument.type)
        if not self.typed and self.chance(8):
            declared = self.draw(st.sampled_from(WRONG_DECLARATIONS))
        self.declarations.append(f"${name}: {declared}")
        if self.typed or not self.chance(8):  # sometimes declared and never sent
            self.variables[name] = value
        return f"${name}"

    def selection(self, parent: GraphQLNamedType, depth: int) -> str:
        """A selection set on `parent`, `depth` levels of objects deep at most."""
        if isinstance(parent, GraphQLInterfaceType):
            kinds = self.draw(_possible_types(parent))
            parts = ["__typename", "id"] + [
                f"... on {t.name} {self.selection(t, depth)}" for t in kinds
            ]
            return "{ " + " ".join(parts) + " }"
        assert isinstance(parent, GraphQLObjectType)
        chosen = list(self.draw(_field_names(parent, leaves_only=depth <= 0)))
        if parent.name.endswith("Payload") and "errors" not in chosen:
            chosen.append("errors")
        parts = [self.field(parent, name, depth) for name in chosen] or ["__typename"]
        if self.chance(12):
            parts.append(parts[0])  # the same field twice: merged, or a conflict
        if not self.typed and self.chance(6):
            parts.append(self.draw(st.sampled_from(["nope", "__schema { queryType { name } }",
                                                    "__type(name: \"Claim\") { name }",
                                                    "id(first: 1)"])))
        if self.chance(15) and parts:
            parts = [self.named_fragment(parent, " ".join(parts))]
        return "{ " + " ".join(parts) + " }"

    def field(
        self, parent: GraphQLObjectType, name: str, depth: int, alias: str | None = None
    ) -> str:
        definition = parent.fields[name]
        child = get_named_type(definition.type)
        if alias is None and name != "errors" and self.chance(6):
            alias = f"a{self.draw(st.integers(0, 40))}"
        text = f"{alias + ': ' if alias else ''}{name}{self.arguments(definition)}"
        if self.chance(30):
            flags = ["true", "false"] if self.typed else ["true", "false", "1", "$x", "null"]
            text += f" @include(if: {self.draw(st.sampled_from(flags))})"
        if is_leaf_type(child):
            return text
        return f"{text} {self.selection(child, depth - 1)}"

    def named_fragment(self, on: GraphQLNamedType, body: str) -> str:
        name = f"F{len(self.fragments)}"
        if not self.typed and self.chance(2):  # a cycle: F spreads G, G spreads F
            other = f"{name}x"
            self.fragments.append(f"fragment {name} on {on.name} {{ {body} ...{other} }}")
            self.fragments.append(f"fragment {other} on {on.name} {{ __typename ...{name} }}")
        else:
            self.fragments.append(f"fragment {name} on {on.name} {{ {body} }}")
        return f"...{name}"


@cache
def _dice(sides: int) -> st.SearchStrategy[int]:
    return st.integers(0, sides - 1)


@cache
def _field_names(parent: GraphQLObjectType, leaves_only: bool) -> st.SearchStrategy[list[str]]:
    names = sorted(parent.fields)
    if leaves_only:
        names = [n for n in names if is_leaf_type(get_named_type(parent.fields[n].type))]
    if not names:
        return st.just([])
    return st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)


@cache
def _possible_types(parent: GraphQLInterfaceType) -> st.SearchStrategy[list[GraphQLObjectType]]:
    kinds = SCHEMA.get_possible_types(parent)
    return st.lists(st.sampled_from(kinds), min_size=1, max_size=2, unique_by=lambda t: t.name)


@st.composite
def requests(draw: st.DrawFn, operation: str, max_fields: int = 3) -> Request:
    """An operation on the `operation` root with 1..max_fields root fields."""
    root = ROOTS[operation]
    assert root is not None
    builder = _Builder(draw, typed=draw(st.sampled_from([True, True, False])))
    names = draw(st.lists(st.sampled_from(sorted(root.fields)), min_size=1, max_size=max_fields))
    depth = draw(st.integers(1, 5))
    parts, keys = [], []
    for index, name in enumerate(names):
        alias = f"r{index}"
        parts.append(builder.field(root, name, depth, alias=alias))
        keys.append(alias)
    declared = f"({', '.join(builder.declarations)})" if builder.declarations else ""
    head = f"{operation} Fuzz{declared}"
    document = "\n".join([f"{head} {{ {' '.join(parts)} }}", *builder.fragments])
    return Request(operation, document, builder.variables, keys)
