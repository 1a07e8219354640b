"""Where a claim's reports come from, laid out as one small graph for an inline SVG.

Each chain runs outermost first (publisher → source → via … → origin). A source is one
node however many chains pass through it, so reports that share an origin visibly meet
there. Columns count links to the origin: origins stand in the rightmost column, sources
citing them one column to the left, and so on; a source at several distances takes the
longest, so every arrow points rightwards. A source that is the origin of one report and
cites another source in a second report stands left of what it cites, marked as origin
(a loop of citations, which data can hold, keeps one arrow pointing back).

Pure and linear-ish in the number of links (one sort per column); bounded to MAX_NODES
nodes, the chains beyond that are counted, not drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

MAX_NODES = 60
MAX_LABEL = 22
NODE_WIDTH = 172
NODE_HEIGHT = 26
COLUMN_GAP = 44
ROW_GAP = 12
MARGIN = 8

Link = tuple[str, str]  # a source's (id, name)


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    label: str  # the name, shortened to fit the box
    x: float  # top left corner of the box
    y: float
    width: float
    height: float
    origin: bool  # the last link of some chain

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: str  # an SVG path from the source's right side to the target's left side
    reports: int  # how many chains run along it


@dataclass(frozen=True)
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: float
    height: float
    reports: int  # chains drawn
    origins: int  # distinct origins drawn
    hidden_reports: int  # chains left out to stay within MAX_NODES
    hidden_sources: int  # sources found only in those chains

    @property
    def description(self) -> str:
        """The graph in one sentence, for its <title>."""
        words = f"{_count(self.reports, 'report')} from {_count(self.origins, 'origin')}"
        if self.hidden_reports:
            words += f"; {_count(self.hidden_reports, 'more report')} not drawn"
        return words


def layout(chains: Sequence[Sequence[Link]], max_nodes: int = MAX_NODES) -> Graph:
    """The graph of `chains`: one node per source id, one edge per distinct link."""
    kept, hidden = _within(chains, max_nodes)
    names: dict[str, str] = {}
    origins: dict[str, None] = {}  # ordered set
    counts: dict[tuple[str, str], int] = {}
    for chain in kept:
        origins.setdefault(chain[-1][0])
        for source_id, name in chain:
            names.setdefault(source_id, name)
        for (a, _), (b, _) in pairwise(chain):
            if a != b:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    column = _columns(names, counts)
    rows = _rows(names, column, counts, list(origins))
    nodes = _place(names, column, rows, set(origins))
    edges = [Edge(a, b, _path(nodes[a], nodes[b]), n) for (a, b), n in counts.items()]
    width = max((n.x + n.width for n in nodes.values()), default=0) + MARGIN
    height = max((n.y + n.height for n in nodes.values()), default=0) + MARGIN
    hidden_sources = len({i for chain in hidden for i, _ in chain} - names.keys())
    return Graph(
        nodes=list(nodes.values()),
        edges=edges,
        width=width,
        height=height,
        reports=len(kept),
        origins=len(origins),
        hidden_reports=len(hidden),
        hidden_sources=hidden_sources,
    )


def shorten(name: str, limit: int = MAX_LABEL) -> str:
    """The name cut at a word where one is near, with an ellipsis: it must fit a box."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-(\u2013") + "…"


def _within(
    chains: Sequence[Sequence[Link]], max_nodes: int
) -> tuple[list[Sequence[Link]], list[Sequence[Link]]]:
    """The chains drawn, grouped by origin so that shared origins fill the budget first,
    and those left out: a chain is drawn whole or not at all."""
    first_seen: dict[str, int] = {}
    for chain in chains:
        if chain:
            first_seen.setdefault(chain[-1][0], len(first_seen))
    ordered = sorted((c for c in chains if c), key=lambda c: first_seen[c[-1][0]])
    seen: set[str] = set()
    kept: list[Sequence[Link]] = []
    hidden: list[Sequence[Link]] = []
    for chain in ordered:
        new = {i for i, _ in chain} - seen
        if len(seen) + len(new) > max_nodes:
            hidden.append(chain)
            continue
        seen |= new
        kept.append(chain)
    return kept, hidden


def _columns(names: dict[str, str], counts: dict[tuple[str, str], int]) -> dict[str, int]:
    """Each node's longest distance to a source that cites no one (0: rightmost), by one
    depth-first walk; an edge closing a loop is ignored. Iterative: no recursion limit."""
    targets: dict[str, list[str]] = {}
    for a, b in counts:
        targets.setdefault(a, []).append(b)
    column: dict[str, int] = {}
    walking: set[str] = set()
    for start in names:
        if start in column:
            continue
        stack = [(start, iter(targets.get(start, [])))]
        walking.add(start)
        while stack:
            node, pending = stack[-1]
            step = next((t for t in pending if t not in walking), None)
            if step is None:
                stack.pop()
                walking.discard(node)
                done = [column[t] + 1 for t in targets.get(node, []) if t in column]
                column[node] = max(done, default=0)
            elif step not in column:
                walking.add(step)
                stack.append((step, iter(targets.get(step, []))))
    return column


def _rows(
    names: dict[str, str],
    column: dict[str, int],
    counts: dict[tuple[str, str], int],
    origins: list[str],
) -> dict[str, int]:
    """Each node's row within its column: origins in order of first report, then each
    column leftwards ordered by the mean row of the sources it cites, which keeps the
    arrows of one origin together and mostly uncrossed."""
    targets: dict[str, list[str]] = {}
    for a, b in counts:
        targets.setdefault(a, []).append(b)
    by_column: dict[int, list[str]] = {}
    for source_id in names:  # insertion order: first appearance
        by_column.setdefault(column[source_id], []).append(source_id)
    rank = {source_id: i for i, source_id in enumerate(origins)}
    row: dict[str, int] = {}
    for col in sorted(by_column):
        members = by_column[col]
        if col == 0:
            members.sort(key=lambda s: rank.get(s, len(rank)))
        else:
            members.sort(key=lambda s: _mean(row, targets.get(s, [])))
        row.update((source_id, i) for i, source_id in enumerate(members))
    return row


def _mean(row: dict[str, int], targets: list[str]) -> float:
    placed = [row[t] for t in targets if t in row]
    return sum(placed) / len(placed) if placed else float("inf")


def _place(
    names: dict[str, str], column: dict[str, int], rows: dict[str, int], origins: set[str]
) -> dict[str, Node]:
    last = max(column.values(), default=0)
    return {
        source_id: Node(
            id=source_id,
            name=name,
            label=shorten(name),
            x=MARGIN + (last - column[source_id]) * (NODE_WIDTH + COLUMN_GAP),
            y=MARGIN + rows[source_id] * (NODE_HEIGHT + ROW_GAP),
            width=NODE_WIDTH,
            height=NODE_HEIGHT,
            origin=source_id in origins,
        )
        for source_id, name in names.items()
    }


def _path(a: Node, b: Node) -> str:
    """A curve from a's right side to b's left side; one that runs backwards (a source
    cited in one chain and citing in another) bows out so it never hides behind boxes."""
    x1, y1 = a.x + a.width, a.y + a.height / 2
    x2, y2 = b.x, b.y + b.height / 2
    bend = max(COLUMN_GAP / 2, (x1 - x2) / 2 + COLUMN_GAP)
    return f"M{x1:g},{y1:g} C{x1 + bend:g},{y1:g} {x2 - bend:g},{y2:g} {x2:g},{y2:g}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
