"""Quality of the attribution extractor against hand-annotated articles.

    python -m bench.extraction_eval [--verbose] [--json]

Articles: the seed (gold read directly from ``api/demo/curated.py``, so it cannot drift)
and every ``tests/fixtures/ingest/*.gold.json`` (its text beside it). A predicted
attribution matches a gold one when their quote spans overlap by at least half of the
shorter span and their sources are the same after normalisation (case, accents, punctuation
and parenthesised qualifiers ignored; aliases from the gold file, the curated sources and the
gazetteer count); the article's own voice matches only the own voice. Pairs are matched one
to one (maximum bipartite matching). Over the matched pairs, confidence categories are
compared: "fact" (>= 0.95), "probable" (0.6-0.95), "possible" (< 0.6).

Prints a Markdown table: per article and overall (micro-averaged), precision, recall and F1
of (span, source) pairs, the same for spans alone, category accuracy, and precision/recall
of the hedged categories, plus via, stance and quantity agreement on matched pairs.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from api.demo import curated
from api.ingest.extract import Extracted, extract
from api.ingest.extract.gazetteer import canonical

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class Gold:
    """One hand-annotated attribution."""

    quote_start: int
    quote_end: int
    quote: str
    source: str | None
    via: tuple[str, ...]
    hedges: tuple[str, ...]
    confidence: float
    quantity: tuple[float, str | None, str] | None
    stance: str


@dataclass(frozen=True)
class Article:
    """A text, its language, its gold attributions and the aliases of its sources."""

    name: str
    text: str
    language: str
    gold: tuple[Gold, ...]
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)


def category(confidence: float) -> str:
    """ "fact" (>= 0.95), "probable" (0.6-0.95) or "possible" (< 0.6)."""
    if confidence >= 0.95:
        return "fact"
    return "probable" if confidence >= 0.6 else "possible"


def normalise(name: str) -> str:
    """Case-, accent- and punctuation-blind form; parenthesised qualifiers dropped."""
    name = re.sub(r"\([^)]*\)", " ", name)
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-zß]+", " ", name).split())


def keys(name: str, aliases: dict[str, frozenset[str]]) -> frozenset[str]:
    """Every normalised name the source goes by: itself, its aliases, its gazetteer form."""
    out = {normalise(name)} | aliases.get(normalise(name), frozenset())
    known = canonical(name)
    if known:
        out.add(normalise(known))
    return frozenset(out)


def seed_article() -> Article:
    """The curated seed article, read directly from ``api.demo.curated``."""
    text = curated.document_text()
    sources = {s.key: s for s in curated.SOURCES}
    aliases = {
        normalise(s.name): frozenset(normalise(a) for a in (s.name, *s.aliases))
        for s in curated.SOURCES
    }
    gold: list[Gold] = []
    for claim in curated.CLAIMS:
        for a in claim.attributions:
            start, end = curated.quote_span(a, text)
            source = None if a.source == curated.PUBLISHER_KEY else sources[a.source].name
            q = a.quantity
            gold.append(
                Gold(
                    start,
                    end,
                    a.quote,
                    source,
                    tuple(sources[v].name for v in a.via),
                    a.hedges,
                    a.confidence,
                    (q.value, q.unit, q.bound) if q else None,
                    a.stance,
                )
            )
    return Article(
        "kim-putin-vostochny.de (seed)",
        text,
        curated.DOCUMENT.language,
        tuple(sorted(gold, key=lambda g: g.quote_start)),
        aliases,
    )


def fixture_article(path: Path) -> Article:
    """An article annotated in a ``*.gold.json`` fixture."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / doc["text_file"]).read_text(encoding="utf-8")
    aliases = {
        normalise(s["name"]): frozenset(normalise(a) for a in (s["name"], *s["aliases"]))
        for s in doc["sources"]
    }
    gold = tuple(
        Gold(
            a["quote_start"],
            a["quote_end"],
            a["quote"],
            a["source"],
            tuple(a["via"]),
            tuple(a["hedges"]),
            a["confidence"],
            (a["quantity"]["value"], a["quantity"]["unit"], a["quantity"]["bound"])
            if a["quantity"]
            else None,
            a["stance"],
        )
        for a in doc["attributions"]
    )
    return Article(doc["text_file"].removesuffix(".txt"), text, doc["language"], gold, aliases)


def articles() -> list[Article]:
    """The seed and every fixture article."""
    return [seed_article(), *(fixture_article(p) for p in sorted(FIXTURES.glob("*.gold.json")))]


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Spans overlap by at least half of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and shared >= MIN_OVERLAP * shorter


def same_source(pred: str | None, gold: str | None, aliases: dict[str, frozenset[str]]) -> bool:
    """Both the own voice, or names that share a normalised form or alias."""
    if pred is None or gold is None:
        return pred is None and gold is None
    return bool(keys(pred, aliases) & keys(gold, aliases))


def match(
    pred: list[Extracted],
    gold: Iterable[Gold],
    aliases: dict[str, frozenset[str]],
    *,
    with_source: bool = True,
) -> list[tuple[int, int]]:
    """Maximum one-to-one matching of predictions to gold (augmenting paths)."""
    golds = list(gold)
    edges = [
        [
            j
            for j, g in enumerate(golds)
            if overlaps((p.quote_start, p.quote_end), (g.quote_start, g.quote_end))
            and (
                not with_source
                or same_source(p.source.name if p.source else None, g.source, aliases)
            )
        ]
        for p in pred
    ]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(pred)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


@dataclass
class Score:
    """Counts for one article (or the sum over articles)."""

    name: str
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    span_matched: int = 0
    category_same: int = 0
    hedged_pred: int = 0
    hedged_gold: int = 0
    hedged_same_pred: int = 0
    hedged_same_gold: int = 0
    via_same: int = 0
    stance_same: int = 0
    quantity_gold: int = 0
    quantity_same: int = 0

    def add(self, other: Score) -> None:
        for name in vars(other):
            if name != "name":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def span_precision(self) -> float:
        return _ratio(self.span_matched, self.predicted)

    @property
    def span_recall(self) -> float:
        return _ratio(self.span_matched, self.gold)

    @property
    def category_accuracy(self) -> float:
        return _ratio(self.category_same, self.matched)

    @property
    def hedged_precision(self) -> float:
        return _ratio(self.hedged_same_pred, self.hedged_pred)

    @property
    def hedged_recall(self) -> float:
        return _ratio(self.hedged_same_gold, self.hedged_gold)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score(article: Article) -> tuple[Score, list[Extracted], list[tuple[int, int]]]:
    """Extract from the article and compare with its gold annotation."""
    pred = extract(article.text, article.language)
    pairs = match(pred, article.gold, article.aliases)
    s = Score(
        article.name,
        len(pred),
        len(article.gold),
        len(pairs),
        len(match(pred, article.gold, article.aliases, with_source=False)),
    )
    for i, j in pairs:
        p, g = pred[i], article.gold[j]
        pc, gc = category(p.confidence), category(g.confidence)
        s.category_same += pc == gc
        s.hedged_pred += pc != "fact"
        s.hedged_gold += gc != "fact"
        s.hedged_same_pred += pc != "fact" and pc == gc
        s.hedged_same_gold += gc != "fact" and pc == gc
        s.via_same += _same_via(p, g, article.aliases)
        s.stance_same += p.stance == g.stance
        if g.quantity is not None:
            s.quantity_gold += 1
            s.quantity_same += _same_quantity(p, g)
    return s, pred, pairs


def _same_via(p: Extracted, g: Gold, aliases: dict[str, frozenset[str]]) -> bool:
    if len(p.via) != len(g.via):
        return False
    return all(same_source(a.name, b, aliases) for a, b in zip(p.via, g.via, strict=True))


def _same_quantity(p: Extracted, g: Gold) -> bool:
    if p.quantity is None or g.quantity is None:
        return False
    value, unit, bound = g.quantity
    return (
        abs(p.quantity.value - value) < 1e-6 * max(1.0, abs(value))
        and p.quantity.bound == bound
        and (p.quantity.unit or "") == (unit or "")
    )


def evaluate() -> list[Score]:
    """Scores per article, then the total (micro-averaged) last."""
    total = Score("overall")
    out: list[Score] = []
    for article in articles():
        s, _, _ = score(article)
        out.append(s)
        total.add(s)
    return [*out, total]


def table(scores: list[Score]) -> str:
    """The Markdown report."""
    head = (
        "| article | gold | pred | P | R | F1 | span P | span R | conf. cat. acc. "
        "| hedged P | hedged R | via | stance | quantity |"
    )
    lines = [head, "|" + "---|" * 15]
    for s in scores:
        lines.append(
            f"| {s.name} | {s.gold} | {s.predicted} | {s.precision:.2f} | {s.recall:.2f} "
            f"| {s.f1:.2f} | {s.span_precision:.2f} | {s.span_recall:.2f} "
            f"| {s.category_accuracy:.2f} | {s.hedged_precision:.2f} | {s.hedged_recall:.2f} "
            f"| {s.via_same}/{s.matched} | {s.stance_same}/{s.matched} "
            f"| {s.quantity_same}/{s.quantity_gold} |"
        )
    return "\n".join(lines)


def _details(article: Article) -> str:
    """Unmatched gold and predictions, for looking into errors."""
    _, pred, pairs = score(article)
    got_p, got_g = {i for i, _ in pairs}, {j for _, j in pairs}
    lines = [f"\n### {article.name}"]
    for j, g in enumerate(article.gold):
        if j not in got_g:
            lines.append(f"- missed  [{g.quote_start}:{g.quote_end}] {g.source!r}: {g.quote[:90]}")
    for i, p in enumerate(pred):
        if i not in got_p:
            name = p.source.name if p.source else None
            lines.append(f"- extra   [{p.quote_start}:{p.quote_end}] {name!r}: {p.quote[:90]}")
    for i, j in pairs:
        p, g = pred[i], article.gold[j]
        if category(p.confidence) != category(g.confidence):
            lines.append(
                f"- conf.   {p.hedges} {p.confidence} vs {g.hedges} {g.confidence}: {g.quote[:60]}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and extras")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    scores = evaluate()
    if args.json:
        print(
            json.dumps(
                {
                    s.name: {
                        "precision": s.precision,
                        "recall": s.recall,
                        "category_accuracy": s.category_accuracy,
                    }
                    for s in scores
                },
                indent=2,
            )
        )
        return
    print(table(scores))
    if args.verbose:
        for article in articles():
            print(_details(article))


if __name__ == "__main__":
    main()
