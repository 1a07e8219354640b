"""The alias limit: strawberry's MaxAliasesLimiter, linear in the document."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)

from schema.limits.memo import Once, fragments_of, operations_of


class _Aliases:
    """Aliased fields, counted with each fragment's fields as often as it is spread."""

    def __init__(self, document: DocumentNode) -> None:
        self.once = Once(fragments_of(document), 0)

    def count(self, selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += (selection.alias is not None) + self.count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += self.count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                total += self.once.spread(name, name, lambda f: self.count(f.selection_set))
        return total


def alias_rule(max_aliases: int) -> type[ASTValidationRule]:
    """strawberry's MaxAliasesLimiter rule (its message), linear in the document."""

    class AliasLimit(ASTValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            aliases = _Aliases(node)
            total = sum(aliases.count(o.selection_set) for o in operations_of(node))
            if total > max_aliases:
                message = f"{total} aliases found. Allowed: {max_aliases}"
                self.report_error(GraphQLError(message, extensions={"code": "TOO_MANY_ALIASES"}))

    return AliasLimit
