"""What every resolver sees: the request, the database and this request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from api.db import SessionFactory
from api.search import SearchProbe
from api.settings import Settings
from schema.loaders import Loaders


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    engine: AsyncEngine
    session_factory: SessionFactory
    search: SearchProbe
    settings: Settings
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.engine)

    def forget_reads(self) -> None:
        """Drop every cached row: after a write, later fields must see the new state."""
        self.loaders = Loaders(self.engine)


Info = StrawberryInfo[Context, None]
