"""Abuse limits: every document is measured before a resolver runs.

A GraphQL endpoint lets one request ask for a great deal: deep nesting, hundreds of
aliases, megabytes of tokens, or nested pages whose sizes multiply (100 claims x 100
attributions x 100 ...). Each limit here rejects such a document during parsing or
validation, before any SQL, with a GraphQL error whose `extensions.code` says which limit
it hit. Tokens and introspection are strawberry's own limits (`MaxTokensLimiter`,
`DisableIntrospection`), given stable codes; depth, aliases and cost are ours.

Every walk here is linear in the document's size: a fragment is measured once per
parent type and page (`memo.Once`), however often it is spread. Expanding it at each spread
instead doubles the work per level of `fragment F{i} { ...F{i-1} ...F{i-1} }`: 24 levels
in 1.5 KB held the process for minutes (issue 12).
"""

from schema.limits.aliases import alias_rule
from schema.limits.cost import UNPAGED_LIST_SIZE, document_cost
from schema.limits.cost_memo import operation_cost, variables_key
from schema.limits.depth import depth_rule
from schema.limits.extensions import CostLimit, Limits, coded, limit_extensions
from schema.limits.tokens import TokenLimit

__all__ = [
    "UNPAGED_LIST_SIZE",
    "CostLimit",
    "Limits",
    "TokenLimit",
    "alias_rule",
    "coded",
    "depth_rule",
    "document_cost",
    "limit_extensions",
    "operation_cost",
    "variables_key",
]
