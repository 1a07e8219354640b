"""ApiKey: an API key as admins see it, never the key itself."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import service
from api.auth.roles import Role

KeyRole = strawberry.enum(Role, name="KeyRole", description="reader < editor < admin.")


@strawberry.type(description="An API key as admins see it: never the key itself.")
class ApiKey:
    name: str
    role: KeyRole  # type: ignore[valid-type]
    prefix: str = strawberry.field(description="The key's first characters, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None = strawberry.field(
        description="Noted at most once a minute; null if never used."
    )
    revoked_at: datetime | None

    @classmethod
    def from_listing(cls, listing: service.KeyListing) -> ApiKey:
        return cls(
            name=listing.name,
            role=listing.role,
            prefix=listing.prefix,
            created_at=listing.created_at,
            last_used_at=listing.last_used_at,
            revoked_at=listing.revoked_at,
        )
