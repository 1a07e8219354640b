"""apiKeys: every API key, for admins."""

from __future__ import annotations

from api.auth import service
from api.auth.roles import Role
from schema.auth.types import ApiKey
from schema.context import Info
from schema.errors import ClientError


async def resolve_api_keys(info: Info) -> list[ApiKey]:
    """Every key, revoked ones included, oldest first (admins only)."""
    context = info.context
    if refusal := context.policy.refusal(context.caller, Role.ADMIN):
        problem = refusal.problems[0]
        raise ClientError(problem.message, problem.code)
    async with context.session_factory() as session:
        return [ApiKey.from_listing(k) for k in await service.list_keys(session)]
