"""Requests whose answer may never be stored: they select a mutation that answers a secret.

`createApiKey` shows a new key once, in its answer. An `Idempotency-Key` stores the
answer to replay it, so it would store the key itself, readable for a day by anyone
who can read the database or a backup of it. The gate refuses such a request before it
runs (api/web/idempotency_gate.py); a replay without the secret would be of no use to the
client that lost the first answer.

The walk is over what the request may run, a superset of what it will run: the
operation named by `operationName` (every mutation if none is named), its root fields
through fragments and inline fragments, whatever their aliases and directives. Each
fragment is entered once, so the walk is linear in the document. A document that does
not parse is left alone: the GraphQL layer refuses it before anything runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, parse
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

# The mutations whose answer holds a secret (schema/auth/mutations.py,
# schema/live/webhooks.py).
SECRET_ANSWERS = frozenset({"createApiKey", "createWebhook"})


def mentioned(request: Any) -> bool:
    """Whether a document of `request` (its decoded JSON) names such a mutation at all.

    A GraphQL name has no escapes, so a document without the name cannot select the
    field: this scan at C speed spares every other request the parse.
    """
    return any(name in query for query, _ in _documents(request) for name in SECRET_ANSWERS)


def secret_fields(request: Any, max_tokens: int) -> list[str]:
    """The root fields with a secret answer that `request` (its decoded JSON) may run.

    It parses: run it in a thread when `mentioned` is true, as a document may be large.
    """
    found: set[str] = set()
    for query, operation_name in _documents(request):
        if any(name in query for name in SECRET_ANSWERS):
            found.update(_mutations(query, operation_name, max_tokens))
    return sorted(found & SECRET_ANSWERS)


def _documents(request: Any) -> Iterator[tuple[str, Any]]:
    """Each document of a request, or of a batch, with the operation name sent with it."""
    for item in request if isinstance(request, list) else [request]:
        if isinstance(item, dict) and isinstance(item.get("query"), str):
            yield item["query"], item.get("operationName")


def _mutations(query: str, operation_name: Any, max_tokens: int) -> set[str]:
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except (GraphQLError, RecursionError):
        return set()
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: set[str] = set()
    for operation in _operations(document, operation_name):
        names.update(_root_fields(operation.selection_set, fragments))
    return names


def _operations(document: DocumentNode, name: Any) -> Iterator[OperationDefinitionNode]:
    """The mutations that may run: the one named, or all when none is (one runs, or none)."""
    wanted = name if isinstance(name, str) and name else None
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        named = definition.name.value if definition.name is not None else None
        if definition.operation == OperationType.MUTATION and wanted in (None, named):
            yield definition


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[str]:
    entered: set[str] = set()
    pending = [selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection.name.value
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in entered and name in fragments:
                    entered.add(name)
                    pending.append(fragments[name].selection_set)
