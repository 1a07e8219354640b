"""Domain errors: expected failures that the API reports as data, never as crashes."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class ErrorCode(enum.StrEnum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    AMBIGUOUS = "AMBIGUOUS"
    # An edit named a version of a node that another edit has replaced meanwhile.
    CONFLICT = "CONFLICT"
    # Access (api/auth): no valid key where one is needed, or a key whose role is too low.
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    # An idempotency key (header or clientMutationId) sent again with another request.
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input; `field` is its path, e.g. ("input", "confidence")."""

    code: ErrorCode
    message: str
    field: tuple[str, ...] | None = None


class DomainError(Exception):
    """A request the rules refuse; every problem found is reported at once, nothing is written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)

    @classmethod
    def one(cls, code: ErrorCode, message: str, *field: str) -> DomainError:
        return cls([Problem(code, message, field or None)])


class Problems:
    """Collects the problems of one input so that a client sees them all in one answer."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: ErrorCode, message: str, *field: str) -> None:
        self.items.append(Problem(code, message, field or None))

    def invalid(self, message: str, *field: str) -> None:
        self.add(ErrorCode.INVALID, message, *field)

    def not_found(self, message: str, *field: str) -> None:
        self.add(ErrorCode.NOT_FOUND, message, *field)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DomainError(self.items)
