"""README's example query gives README's answer on freshly loaded demo data.

After a deliberate change, refresh the README with: UPDATE_README=1 pytest tests/test_readme.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.demo.loader import load_demo
from tests.support.app import GraphQLClient

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = r"<!-- example-{name} -->\n```{lang}\n(.*?)\n```"


def _block(text: str, name: str, lang: str) -> re.Match[str]:
    found = re.search(BLOCK.format(name=name, lang=lang), text, re.S)
    assert found, f"README has no example-{name} block"
    return found


async def test_readme_example_answer_is_the_real_one(db: AsyncEngine, gql: GraphQLClient) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        await load_demo(session)
    readme = README.read_text(encoding="utf-8")
    query = _block(readme, "query", "graphql").group(1)
    # when
    answer = await gql.raw(query)
    # then
    rendered = json.dumps(answer, indent=2, ensure_ascii=False)
    if os.environ.get("UPDATE_README"):
        documented = _block(readme, "answer", "json")
        README.write_text(
            readme[: documented.start(1)] + rendered + readme[documented.end(1) :],
            encoding="utf-8",
        )
    assert "errors" not in answer
    assert json.loads(_block(README.read_text(encoding="utf-8"), "answer", "json").group(1)) == (
        answer
    )
