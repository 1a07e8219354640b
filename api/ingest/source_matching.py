"""Find the stored source a mention names, or create it.

A mention matches a source when its canonical name, its words as written, or one
of its aliases equals the source's name or one of its aliases after folding (case,
accents, transliteration: cg_fold), so "Korean Central News Agency" finds KCNA.
No fuzzy matching: "Agence 17" must not become "Agence 18".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import BigInteger, Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from api.enums import SourceKind
from api.ingest.extract import SourceMention
from api.sources.service import NewSource, create_source

FIND = text("""
    SELECT s.id FROM source s
    WHERE cg_fold(s.name) = ANY(SELECT cg_fold(c) FROM unnest(:names) AS c)
       OR EXISTS (SELECT 1 FROM unnest(s.aliases) AS a
                  WHERE cg_fold(a) = ANY(SELECT cg_fold(c) FROM unnest(:names) AS c))
    ORDER BY (s.kind = :kind) DESC, s.id
    LIMIT 1
""").bindparams(bindparam("names", type_=ARRAY(Text)))

PUBLISHER_OF = text("SELECT publisher_id FROM document WHERE id = :id").bindparams(
    bindparam("id", type_=BigInteger)
)


@dataclass
class SourceResolver:
    """Resolves mentions within one ingest; remembers what it created and matched."""

    session: AsyncSession
    created: list[int] = field(default_factory=list)
    matched: list[int] = field(default_factory=list)
    _known: dict[str, int] = field(default_factory=dict)

    async def resolve(self, mention: SourceMention) -> int:
        key = f"{mention.kind}:{mention.name.casefold()}"
        if key not in self._known:
            self._known[key] = await self._find_or_create(mention)
        return self._known[key]

    async def _find_or_create(self, mention: SourceMention) -> int:
        # Words that only refer back ("she", "the airline") name nobody: never an alias.
        written = [] if mention.anaphoric else [mention.text]
        names = list(dict.fromkeys([mention.name, *written, *mention.aliases]))
        found = await self.session.scalar(FIND, {"names": names, "kind": mention.kind})
        if found is not None:
            self.matched.append(int(found))
            return int(found)
        affiliation = None
        if mention.affiliation is not None:
            affiliation = await self.resolve(mention.affiliation)
        aliases = [n for n in names[1:] if n.strip() and n.casefold() != mention.name.casefold()]
        pk = await create_source(
            self.session,
            NewSource(
                name=mention.name,
                kind=SourceKind(mention.kind),
                aliases=aliases,
                affiliation_id=affiliation,
            ),
        )
        self.created.append(pk)
        return pk
