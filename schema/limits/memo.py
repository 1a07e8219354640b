"""Each fragment measured once per walk: what keeps every limit linear in the document.

Expanding a fragment at each spread instead doubles the work per level of
`fragment F{i} { ...F{i-1} ...F{i-1} }`: 24 levels in 1.5 KB held the process for
minutes (issue 12).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Generic, TypeVar

from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode

T = TypeVar("T")


class Once(Generic[T]):
    """The value of each fragment in one walk, computed once per key (the fragment with
    what it depends on: its parent type, the page around it).

    An unknown fragment, or one spread inside itself (a cycle), counts as `empty`:
    graphql-core's KnownFragmentNames and NoFragmentCycles rules report those.
    """

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], empty: T) -> None:
        self.fragments = fragments
        self.empty = empty
        self.values: dict[Hashable, T] = {}
        self.open: set[str] = set()

    def spread(self, name: str, key: Hashable, value: Callable[[FragmentDefinitionNode], T]) -> T:
        if key in self.values:
            return self.values[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return self.empty
        self.open.add(name)
        try:
            self.values[key] = found = value(fragment)
        finally:
            self.open.discard(name)
        return found


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def operation_named(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = operations_of(document)
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)
