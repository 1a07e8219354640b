"""What the extractor remembers while it reads: the sources named so far, in order.

Why: news text names a source once in full and then refers back to it ("Lena Hartwig, …
sagte" … "so Hartwig"; "Reuters, citing officials" … "the officials said"; "sagte er";
"ein Botschaftssprecher" after "die russische Botschaft"). A short memory of mentions,
searched from the most recent, resolves these without a coreference model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from api.ingest.extract.gazetteer import stem
from api.ingest.extract.model import SourceMention

MEMORY = 200


@dataclass(frozen=True)
class _Entry:
    """A remembered mention with its stems computed once."""

    mention: SourceMention
    surname: str  # stem of a person's last name, else ""
    single_words: frozenset[str]  # stems of one-word names and aliases ("hhla", "dwd")
    words: tuple[str, ...]  # stems of the words of the name


def _entry(mention: SourceMention) -> _Entry:
    names = [mention.name, *mention.aliases]
    surname = (
        stem(mention.name.split()[-1]) if mention.kind == "PERSON" and mention.name.split() else ""
    )
    return _Entry(
        mention,
        surname,
        frozenset(stem(n) for n in names if n and " " not in n),
        tuple(stem(w) for w in mention.name.split()),
    )


@dataclass
class Context:
    """Mentions seen so far (most recent last) and the state of reported speech."""

    entries: list[_Entry] = field(default_factory=list)
    reported_source: SourceMention | None = None
    reported_via: tuple[SourceMention, ...] = ()

    @property
    def mentions(self) -> list[SourceMention]:
        return [e.mention for e in self.entries]

    def remember(self, mention: SourceMention) -> None:
        """Keep ``mention`` (and its affiliation) for later references."""
        if mention.affiliation is not None:
            self._push(mention.affiliation)
        self._push(mention)

    def _push(self, mention: SourceMention) -> None:
        for i in range(len(self.entries) - 1, max(-1, len(self.entries) - 9), -1):
            if self.entries[i].mention.name == mention.name:
                del self.entries[i]  # seen again: move it to the front of the memory
                break
        self.entries.append(_entry(mention))
        if len(self.entries) > MEMORY:
            del self.entries[0]

    def last(self, accept: Callable[[SourceMention], bool]) -> SourceMention | None:
        """The most recent mention that ``accept`` accepts."""
        for entry in reversed(self.entries):
            if accept(entry.mention):
                return entry.mention
        return None

    def _last_entry(self, accept: Callable[[_Entry], bool]) -> SourceMention | None:
        for entry in reversed(self.entries):
            if accept(entry):
                return entry.mention
        return None

    def by_name_token(self, word: str) -> SourceMention | None:
        """A person by surname, or any source by an alias or acronym ("Hartwig", "HHLA")."""
        key = stem(word)
        return self._last_entry(lambda e: e.surname == key or key in e.single_words)

    def by_head(self, head_stem: str, kind: str | None = None) -> SourceMention | None:
        """The latest mention whose name has a word starting with ``head_stem``
        ("botschaft"), else the latest of ``kind``."""
        found = None
        if len(head_stem) >= 4:
            found = self._last_entry(lambda e: any(w.startswith(head_stem) for w in e.words))
        if found is None and kind is not None:
            found = self.last(lambda m: m.kind == kind)
        return found


def relocate(mention: SourceMention, text: str, start: int, end: int) -> SourceMention:
    """The same source, as written at a new place (a back-reference keeps name and kind)."""
    return replace(mention, text=text[start:end], start=start, end=end, anaphoric=True)
