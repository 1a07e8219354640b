"""GraphiQL with every file it loads served by this process: it works offline.

The page is strawberry's (templates/graphiql.html) pointed at static/graphiql/, where
fetch.sh puts the exact files strawberry's page would take from unpkg.com. Their names
carry their versions, so browsers may keep them for a year.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

HERE = Path(__file__).parent
ASSETS = HERE / "static" / "graphiql"
# Where the page's relative src and href land, seen from /graphql.
ASSETS_PATH = "/static/graphiql"
PAGE = (HERE / "templates" / "graphiql.html").read_text(encoding="utf-8")


class VersionedFiles(StaticFiles):
    """Files whose names change with their content: cached for a year, never revalidated."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


routes = [Mount(ASSETS_PATH, VersionedFiles(directory=ASSETS), name="graphiql-assets")]
