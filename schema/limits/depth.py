"""The depth limit: strawberry's QueryDepthLimiter, linear in the document."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
)

from schema.limits.memo import Once, fragments_of, operations_of


class _Depths:
    """How far below a selection set its deepest selection lies, as strawberry's
    QueryDepthLimiter counts: a field's selections one level below it, a fragment's at
    the level of its spread, introspection fields not followed."""

    def __init__(self, document: DocumentNode) -> None:
        self.once = Once(fragments_of(document), 0)

    def height(self, selection_set: SelectionSetNode) -> int:
        return max((self._height(s) for s in selection_set.selections), default=0)

    def _height(self, selection: SelectionNode) -> int:
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            return self.once.spread(name, name, lambda f: self.height(f.selection_set))
        inner = _under(selection)
        return 0 if inner is None else inner[1] + self.height(inner[0])

    def first_too_deep(
        self, selection_set: SelectionSetNode, level: int, limit: int, path: frozenset[str]
    ) -> SelectionNode | None:
        """The first selection, in document order, deeper than `limit` (as the error's
        location); None only in a fragment cycle, which validation reports."""
        for selection in selection_set.selections:
            if level > limit:
                return selection
            if level + self._height(selection) <= limit:
                continue
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.once.fragments.get(name)
                if fragment is None or name in path:
                    continue
                return self.first_too_deep(fragment.selection_set, level, limit, path | {name})
            inner = _under(selection)
            assert inner is not None
            return self.first_too_deep(inner[0], level + inner[1], limit, path)
        return None


def _under(selection: SelectionNode) -> tuple[SelectionSetNode, int] | None:
    """The selection set that a field or inline fragment holds, and how much deeper."""
    if isinstance(selection, InlineFragmentNode):
        return selection.selection_set, 0
    if not isinstance(selection, FieldNode) or selection.selection_set is None:
        return None
    return None if selection.name.value.startswith("__") else (selection.selection_set, 1)


def depth_rule(max_depth: int) -> type[ASTValidationRule]:
    """strawberry's QueryDepthLimiter rule (its message), linear in the document."""

    class DepthLimit(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            depths = _Depths(node)
            for operation in operations_of(node):
                if depths.height(operation.selection_set) <= max_depth:
                    continue
                name = operation.name.value if operation.name else "anonymous"
                where = depths.first_too_deep(operation.selection_set, 0, max_depth, frozenset())
                self.report_error(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {max_depth}",
                        where or operation,
                        extensions={"code": "QUERY_TOO_DEEP"},
                    )
                )

    return DepthLimit
