"""The token limit: strawberry's MaxTokensLimiter, its errors given stable codes."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter


class TokenLimit(MaxTokensLimiter):
    """`MaxTokensLimiter`, whose parse errors carry codes: TOO_MANY_TOKENS, and
    QUERY_TOO_DEEP when the parser itself gives up on a document nested too deeply
    (before the depth rule could run, and before the token limit is reached)."""

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.max_token_count
        try:
            yield
        except GraphQLError as error:
            # ParserCache parses in its hook, so its syntax errors pass through here.
            self._tag(error)
            raise
        for found in self.execution_context.pre_execution_errors or []:
            self._tag(found)

    def _tag(self, error: GraphQLError) -> None:
        codes = {
            f"Document contains more than {self.max_token_count} tokens.": "TOO_MANY_TOKENS",
            "Document is nested too deeply.": "QUERY_TOO_DEEP",
        }
        code = next((c for text, c in codes.items() if text in error.message), None)
        if code is not None:
            error.extensions = {**(error.extensions or {}), "code": code}
