"""The walks of schema/limits.py over a document: the cost, depth and alias counts.

Each measures a document as if every fragment spread were written out in full, while
visiting each fragment once per parent type and page: a fan-out of 24 levels
(`fragment F{i} { ...F{i-1} ...F{i-1} }`, 1.5 KB) measures 2^24 spreads without making
them. The oracles here are the document with its fragments inlined, and strawberry's
own depth and alias rules, which expand every spread.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    NoFragmentCyclesRule,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    validate,
)
from hypothesis import HealthCheck, given, settings
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter

from schema import build_schema
from schema.limits import Limits, alias_rule, depth_rule, document_cost, variables_key
from tests.fuzz.documents import Request, requests

SCHEMA = build_schema(Limits())._schema
LEVELS = 24


def fan_out(on: str, leaf: str, levels: int = LEVELS) -> str:
    """`...F{levels}`'s fragments: F0 selects `leaf`, each F{i} spreads F{i-1} twice."""
    fragments = [f"fragment F0 on {on} {{ {leaf} }}"]
    fragments += [
        f"fragment F{i} on {on} {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return "\n".join(fragments)


FAN_OUT_ON_QUERY = f"query {{ ...F{LEVELS} }}\n" + fan_out(
    "Query", "claims(first: 1) { totalCount }"
)
FAN_OUT_ON_CLAIM = "query { claims { edges { node { ...F24 } } } }\n" + fan_out(
    "Claim", "attributions(first: 2) { totalCount }"
)
THREE_NESTED_PAGES = """
query($n: Int) { claims(first: $n) { edges { node {
    attributions(first: $n) { edges { node {
      source { attributions(first: $n) { edges { node { id } } } }
} } } } } } }"""


def cost(query: str | DocumentNode, variables: dict[str, Any] | None = None) -> int:
    document = parse(query) if isinstance(query, str) else query
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return document_cost(SCHEMA, operation, fragments, variables or {})


def messages(document: DocumentNode, rule: type[ASTValidationRule]) -> set[str]:
    return {error.message for error in validate(SCHEMA, document, [rule])}


def inlined(document: DocumentNode) -> DocumentNode:
    """The operations with every spread written out as an inline fragment (no cycles)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def expand(node: Any) -> Any:
        if isinstance(node, FragmentSpreadNode):
            fragment = fragments[node.name.value]
            node = InlineFragmentNode(
                type_condition=fragment.type_condition,
                directives=node.directives,
                selection_set=fragment.selection_set,
            )
        if getattr(node, "selection_set", None) is None:
            return node
        selections = tuple(expand(s) for s in node.selection_set.selections)
        fields = {key: getattr(node, key) for key in node.keys}
        return type(node)(**{**fields, "selection_set": SelectionSetNode(selections=selections)})

    operations = [expand(d) for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return DocumentNode(definitions=tuple(operations))


# Fan-out


def test_a_fan_out_on_query_costs_every_spread() -> None:
    # given: 2^24 spreads of one page of one claim (1 for the page, its edges unasked)
    # when
    found = cost(FAN_OUT_ON_QUERY)
    # then: over any budget, refused as QUERY_TOO_COSTLY
    assert found == 2**LEVELS


def test_a_fan_out_on_an_object_type_costs_every_spread_under_every_node() -> None:
    # given: 20 claims (the default page), each with 2^24 attribution pages
    # when
    found = cost(FAN_OUT_ON_CLAIM)
    # then
    assert found == 1 + 20 * (1 + 2**LEVELS)


def test_a_fan_out_of_plain_fields_costs_its_page_only() -> None:
    query = "query { claims { edges { node { ...F24 } } } }\n" + fan_out("Claim", "id statement")
    assert cost(query) == 1 + 20


def test_a_fragment_costs_the_page_it_is_spread_in() -> None:
    # given: one fragment spread under pages of 3 and of 7 attributions
    query = """
    { claims(first: 2) { edges { node {
        a: attributions(first: 3) { edges { node { ...deep } } }
        b: attributions(first: 7) { edges { node { ...deep } } }
    } } } }
    fragment deep on Attribution { source { attributions(first: 5) { totalCount } } }
    """
    # then: the claims page, then per claim each page with its nodes' own page
    assert cost(query) == 1 + 2 * (1 + (1 + 3 * (1 + 1)) + (1 + 7 * (1 + 1)))


def test_the_depth_and_alias_rules_count_every_spread() -> None:
    # given: 2^24 aliases; a fan-out whose leaf is 14 levels deep
    aliases = parse("query { ...F24 }\n" + fan_out("Query", "a: __typename"))
    nested = "sources { edges { node { " + "affiliation { " * 11 + "name" + " }" * 14
    deep = parse("query Deep { ...F24 }\n" + fan_out("Query", nested))
    # then
    assert messages(aliases, alias_rule(30)) == {f"{2**LEVELS} aliases found. Allowed: 30"}
    assert messages(deep, depth_rule(12)) == {"'Deep' exceeds maximum operation depth of 12"}
    assert messages(deep, depth_rule(14)) == set()


def test_a_depth_error_points_at_the_first_selection_too_deep() -> None:
    document = parse("{ ...F }\nfragment F on Query { sources { edges { node { name } } } }")
    [error] = validate(SCHEMA, document, [depth_rule(2)])
    assert error.extensions == {"code": "QUERY_TOO_DEEP"}
    assert (
        error.locations is not None
        and error.locations[0].column == len("fragment F on Query { sources { edges { node { ") + 1
    )


def test_cyclic_and_unknown_fragments_leave_the_walks_to_validation() -> None:
    document = parse(
        "{ ...A ...Nope }\nfragment A on Query { sources { ...B } }\n"
        "fragment B on SourceConnection { edges { node { name } } totalCount ...A2 }\n"
        "fragment A2 on SourceConnection { ...B }"
    )
    assert messages(document, NoFragmentCyclesRule)
    assert messages(document, depth_rule(1)) == {"'anonymous' exceeds maximum operation depth of 1"}
    assert messages(document, alias_rule(0)) == set()
    assert cost(document) == 1 + 20  # the sources page; the cycle adds nothing


# The same measures as the document written out


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=requests("query"))
def test_generated_documents_measure_as_they_do_written_out(request: Request) -> None:
    try:
        document = parse(request.document)
    except GraphQLSyntaxError:  # the generator's lone surrogates
        return
    if messages(document, NoFragmentCyclesRule) or not _known_fragments(document):
        return
    written_out = inlined(document)
    assert cost(document, request.variables) == cost(written_out, request.variables)
    for limit in (1, 3, 12):
        depth = QueryDepthLimiter(max_depth=limit).validation_rules[0]
        assert messages(document, depth_rule(limit)) == messages(document, depth)
        aliases = MaxAliasesLimiter(max_alias_count=limit).validation_rules[0]
        assert messages(document, alias_rule(limit)) == messages(document, aliases)


def _known_fragments(document: DocumentNode) -> bool:
    names = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return all(name in names for name in _spread_names(document))


def _spread_names(document: DocumentNode) -> set[str]:
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, FragmentSpreadNode):
            found.add(node.name.value)
        for selection in getattr(getattr(node, "selection_set", None), "selections", ()):
            visit(selection)

    for definition in document.definitions:
        visit(definition)
    return found


# Variables as the resolvers see them


def test_float_page_sizes_cost_the_ints_they_are_coerced_to() -> None:
    # given: graphql-core coerces 100.0 to the Int 100
    # when
    found = cost(THREE_NESTED_PAGES, {"n": 100.0})
    # then: 100 claims x 100 attributions x 100 of their sources' attributions
    assert found == 1 + 100 * (1 + (1 + 100 * (1 + (1 + 100))))
    assert found == cost(THREE_NESTED_PAGES, {"n": 100}) == 1_020_201


def test_defaults_apply_and_variables_that_cannot_be_coerced_cost_nothing() -> None:
    query = "query($n: Int = 40) { claims(first: $n) { edges { node { id } } } }"
    assert cost(query) == cost(query, {"n": 40}) == 1 + 40
    assert cost(query, {"n": None}) == 1 + 20  # null: the default page, as resolved
    # Execution refuses these before any resolver runs.
    assert cost(query, {"n": 2.5}) == cost(query, {"n": "100"}) == 0


def test_variables_keys_are_equal_for_equal_json_only() -> None:
    keys = [variables_key({"n": v}) for v in (None, 1, 1.0, True, "1", [1], 0.0, -0.0)]
    assert None not in keys and len(set(keys)) == len(keys)
    assert variables_key({"a": [1, {"b": "c"}], "d": 2}) == variables_key(
        {"d": 2, "a": [1, {"b": "c"}]}
    )
    # NaN and Infinity are not JSON (orjson writes them as null): no key, nothing shared.
    for odd in (float("nan"), float("inf"), float("-inf")):
        assert variables_key({"n": odd}) is None
    assert variables_key({"n": {1: "x"}}) is None  # json.dumps would write "1"
    assert variables_key({"text": "x" * 10_000}) is None
