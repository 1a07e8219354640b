"""Parsing and validation off the event loop, remembered per document.

graphql-core validates a document in one synchronous call, and some of its rules cost
more than the document's size: `OverlappingFieldsCanBeMergedRule` compares every pair of
fields with one response name, so `{ claims { totalCount } claims { totalCount } … }`
within the 2,000-token limit takes about a second, and 1,900 unknown fields cost a
quarter of one in "did you mean" suggestions. Run on the event loop, that second is a
second in which the process answers nobody (docs/security.md, "Stalls").

Two measures keep it bounded:

- `repeated_field` first counts, in one linear pass, how often each selection set selects
  one response name, its fragments included. Past `MAX_REPEATED_FIELDS` the document is
  refused with `TOO_MANY_REPEATED_FIELDS` before graphql-core compares any pair, so no
  validation does more than about `MAX_REPEATED_FIELDS` comparisons per field.
- `OffLoopValidation` replaces strawberry's `ValidationCache`: the same validation (the
  app's rules plus strawberry's own, `validate_document`), run in a small thread pool of
  its own, so the loop goes on answering others while it runs, and so that long jobs
  elsewhere (an ingest's extraction in the default executor) cannot queue a validation
  behind them. The errors are remembered per (schema, document text, rules) in a bounded
  LRU: clients repeat the same few documents, and a cached answer costs a lookup.

`OffLoopParse` replaces strawberry's `ParserCache` likewise: a document of 2,000 tokens
takes graphql-core some 20 ms to parse, so a long one is parsed in the same threads.
"""

from __future__ import annotations

import asyncio
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cache, partial
from typing import Any, Generic, TypeVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    Visitor,
    parse,
    visit,
)
from graphql.language.visitor import BREAK
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

# Two threads: validations of distinct documents need not wait for each other, and more
# than the machine's cores would only share the interpreter more finely.
THREADS = 2

# How often one selection set may select a response name (fields, inline fragments and
# named fragments together). A client that composes fragments selects `id` once per
# fragment: a few times, not dozens. graphql-core compares every pair of them.
MAX_REPEATED_FIELDS = 20

# Documents longer than this are parsed in a thread; shorter ones parse in well under a
# millisecond, less than the hand-over to a thread costs.
OFF_LOOP_CHARS = 2_000

Key = tuple[GraphQLSchema, str, tuple[type[ASTValidationRule], ...]]
ParseKey = tuple[str, tuple[tuple[str, Any], ...]]
K = TypeVar("K")
V = TypeVar("V")


@cache
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="claimgraph-validate")


class Remembered(Generic[K, V]):
    """A bounded LRU: the validation errors or parsed documents of recent texts."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._results: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._results.get(key)
        if found is not None:
            self._results.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._results[key] = value
        self._results.move_to_end(key)
        while len(self._results) > self.maxsize:
            self._results.popitem(last=False)


@cache
def _results(maxsize: int) -> Remembered[Key, list[GraphQLError]]:
    # One per size, shared by every request (the extension is made afresh per request).
    return Remembered(maxsize)


@cache
def _documents(maxsize: int) -> Remembered[ParseKey, DocumentNode]:
    return Remembered(maxsize)


def repeated_field(document: DocumentNode, limit: int = MAX_REPEATED_FIELDS) -> GraphQLError | None:
    """The error for the first selection set that selects one response name more than
    `limit` times, counting what its fragments select; None when there is none.

    Linear in the document: each fragment's counts are computed once, each selection set
    is counted once, and counting stops at the first name over the limit. A fragment that
    spreads itself (a cycle, which validation reports) counts as selecting nothing.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    counted: dict[str, Counter[str]] = {}
    counting: set[str] = set()
    by_set: dict[int, Counter[str]] = {}  # selection sets counted, by id: inline fragments

    def fragment(name: str) -> Counter[str]:
        found = counted.get(name)
        if found is not None:
            return found
        definition = fragments.get(name)
        if definition is None or name in counting:
            return Counter()
        counting.add(name)
        counted[name] = names(definition.selection_set)
        counting.discard(name)
        return counted[name]

    def names(selection_set: SelectionSetNode) -> Counter[str]:
        found = by_set.get(id(selection_set))
        if found is not None:
            return found
        counts: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                added: Mapping[str, int] = {(selection.alias or selection.name).value: 1}
            elif isinstance(selection, InlineFragmentNode):
                added = names(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                added = fragment(selection.name.value)
            if _add(counts, added, limit):
                break  # over the limit: the rest cannot make it less so
        by_set[id(selection_set)] = counts
        return counts

    class Sets(Visitor):
        found: GraphQLError | None = None

        def enter_selection_set(self, node: SelectionSetNode, *_: object) -> object:
            counts = names(node)
            name, times = counts.most_common(1)[0] if counts else ("", 0)
            if times > limit:
                self.found = GraphQLError(
                    f"This selection set selects {name!r} {times} times (its fragments"
                    f" included); at most {limit} selections of one name are allowed.",
                    node,
                    extensions={"code": "TOO_MANY_REPEATED_FIELDS", "limit": limit},
                )
                return BREAK
            return None

    sets = Sets()
    visit(document, sets)
    return sets.found


def _add(counts: Counter[str], added: Mapping[str, int], limit: int) -> bool:
    """Add `added` to `counts`; True when a name it added is now over the limit."""
    over = False
    for name, times in added.items():
        counts[name] += times
        over = over or counts[name] > limit
    return over


async def validate_off_loop(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    """strawberry's `validate_document`, in the validation threads."""
    loop = asyncio.get_running_loop()
    errors: list[GraphQLError] = await loop.run_in_executor(
        _executor(), _validate, schema, document, rules
    )
    return errors


def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
) -> list[GraphQLError]:
    repeated = repeated_field(document)
    return [repeated] if repeated is not None else validate_document(schema, document, rules)


class OffLoopParse(SchemaExtension):
    """Parses a long document in the validation threads; a text parsed before is taken
    from the cache. Syntax errors are raised as strawberry's ParserCache raises them."""

    def __init__(self, maxsize: int = 256) -> None:
        self.documents = _documents(maxsize)

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        query = context.query
        if query:
            options = context.parse_options
            key: ParseKey = (query, tuple(sorted(options.items())))
            document = self.documents.get(key)
            if document is None:
                if len(query) > OFF_LOOP_CHARS:
                    loop = asyncio.get_running_loop()
                    document = await loop.run_in_executor(
                        _executor(), partial(parse, query, **options)
                    )
                else:
                    document = parse(query, **options)
                self.documents.put(key, document)
            context.graphql_document = document
        yield


class OffLoopValidation(SchemaExtension):
    """Validates in a thread of its own; the errors of a document text seen before are
    taken from the cache (a document without text, as tests may pass, is not cached)."""

    def __init__(self, maxsize: int = 256) -> None:
        self.results = _results(maxsize)

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.validation_rules:
            rules = tuple(context.validation_rules)
            schema = context.schema._schema
            key: Key | None = None if context.query is None else (schema, context.query, rules)
            errors = None if key is None else self.results.get(key)
            if errors is None:
                errors = await validate_off_loop(schema, document, rules)
                if key is not None:
                    self.results.put(key, errors)
            context.pre_execution_errors = errors
        yield


__all__ = [
    "MAX_REPEATED_FIELDS",
    "OffLoopParse",
    "OffLoopValidation",
    "repeated_field",
    "validate_off_loop",
]
