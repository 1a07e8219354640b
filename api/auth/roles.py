"""Roles and callers: who is asking, and what that allows."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from api.errors import DomainError, ErrorCode
from api.settings import Settings


class Role(enum.StrEnum):
    """Each role may do everything the roles before it may."""

    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True)
class KeyIdentity:
    """A valid, unrevoked key: enough to authorise and rate-limit, never the secret."""

    id: int
    name: str
    role: Role


class KeyProblem(enum.Enum):
    """Why an Authorization header named no valid key; the value is what the caller is told.

    The header itself is never echoed: a mangled one may well hold the secret.
    """

    UNKNOWN = "the API key is unknown or revoked"
    NO_SCHEME = "the Authorization header must be 'Bearer <key>': the scheme is missing"
    OTHER_SCHEME = (
        "the Authorization header must be 'Bearer <key>': only the Bearer scheme is supported"
    )
    NO_KEY = "the Authorization header must be 'Bearer <key>': the key is missing"


@dataclass(frozen=True)
class Caller:
    """Who sent a request: a key's identity, nobody (anonymous), or a key that failed.

    A key that is presented but unknown, revoked or malformed never falls back to
    anonymous access: the client must learn that its key is wrong rather than silently
    lose rights, and `problem` says what is wrong with it.
    """

    key: KeyIdentity | None = None
    problem: KeyProblem | None = None

    @property
    def bad_key(self) -> bool:
        return self.problem is not None

    @property
    def anonymous(self) -> bool:
        return self.key is None and not self.bad_key

    @property
    def actor(self) -> str:
        """The name a write's revisions record: the key's name, or 'anonymous'."""
        return self.key.name if self.key is not None else "anonymous"


@dataclass(frozen=True)
class AccessPolicy:
    """What anonymous callers may do (CLAIMGRAPH_ANONYMOUS_READ / _WRITE)."""

    anonymous_read: bool = True
    anonymous_write: bool = False

    @classmethod
    def of(cls, settings: Settings) -> AccessPolicy:
        return cls(anonymous_read=settings.anonymous_read, anonymous_write=settings.anonymous_write)

    def refusal(self, caller: Caller, needed: Role) -> DomainError | None:
        """Why `caller` may not act as `needed`, or None when it may."""
        if caller.problem is not None:
            return _refused(ErrorCode.UNAUTHENTICATED, caller.problem.value)
        if caller.key is None:
            open_to_all = self.anonymous_write if needed is not Role.READER else self.anonymous_read
            if needed is Role.ADMIN or not open_to_all:
                what = "read" if needed is Role.READER else "write"
                return _refused(
                    ErrorCode.UNAUTHENTICATED,
                    f"an API key is needed to {what}: send 'Authorization: Bearer <key>'",
                )
            return None
        if not caller.key.role.allows(needed):
            return _refused(
                ErrorCode.FORBIDDEN,
                f"the key {caller.key.name!r} has the role {caller.key.role.value};"
                f" this needs {needed.value}",
            )
        return None


def _refused(code: ErrorCode, message: str) -> DomainError:
    return DomainError.one(code, message)
