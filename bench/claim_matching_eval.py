"""Precision and recall of cross-language claim matching, and the threshold it calls for.

    python -m bench.claim_matching_eval [--json]

Pairs: ``tests/fixtures/ingest/claim_pairs.json``, German-English news claims that are
translations of each other (should match) and hard negatives that must not: the same
names with a different proposition ("proposition"), or the same sentence but for a
number ("number"). Each pair is scored by the cosine of its two embeddings; a pair is
predicted a match at or above a threshold. Prints precision, recall and F1 per threshold
as a Markdown table, how often each kind of negative is wrongly accepted, and the chosen
threshold: the lowest with precision >= 0.95, because a wrong merge corrupts provenance
while a missed one only leaves a duplicate.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from api.ingest.encoder import ENCODER_PACKAGE, ClaimEncoder, same_numbers

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "fixtures" / "ingest" / "claim_pairs.json"
MIN_PRECISION = 0.95
SWEEP = [round(0.50 + 0.01 * step, 2) for step in range(46)]
SHOWN = [round(0.50 + 0.05 * step, 2) for step in range(10)]


@dataclass(frozen=True)
class Scored:
    """One fixture pair with its cosine."""

    kind: str
    de: str
    en: str
    score: float
    same_numbers: bool

    @property
    def positive(self) -> bool:
        return self.kind == "translation"

    def matches(self, threshold: float, guard: bool = True) -> bool:
        """Predicted a match: close enough and, with the guard, the same figures."""
        return self.score >= threshold and (self.same_numbers or not guard)


@dataclass(frozen=True)
class Metrics:
    threshold: float
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def load_pairs(path: Path = PAIRS) -> list[dict[str, str]]:
    pairs: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    return pairs


def score(encoder: ClaimEncoder, pairs: list[dict[str, str]]) -> list[Scored]:
    """Cosines of every pair, embedded in one batch of all sentences."""
    vectors = encoder.embed([p["de"] for p in pairs] + [p["en"] for p in pairs])
    german, english = vectors[: len(pairs)], vectors[len(pairs) :]
    cosines = np.einsum("ij,ij->i", german, english)
    return [
        Scored(p["kind"], p["de"], p["en"], float(c), same_numbers(p["de"], "de", p["en"], "en"))
        for p, c in zip(pairs, cosines, strict=True)
    ]


def metrics(scored: list[Scored], threshold: float, guard: bool = True) -> Metrics:
    """Pairwise precision/recall of `translation_match`'s rule (cosine alone without `guard`)."""
    tp = sum(s.positive and s.matches(threshold, guard) for s in scored)
    fp = sum(not s.positive and s.matches(threshold, guard) for s in scored)
    fn = sum(s.positive and not s.matches(threshold, guard) for s in scored)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(threshold, precision, recall, f1, tp, fp, fn)


def choose_threshold(
    scored: list[Scored], min_precision: float = MIN_PRECISION, guard: bool = True
) -> float:
    """The lowest swept threshold whose precision reaches `min_precision` (recall is kept)."""
    for threshold in SWEEP:
        found = metrics(scored, threshold, guard)
        if found.true_positives and found.precision >= min_precision:
            return threshold
    return SWEEP[-1]


def accepted(
    scored: list[Scored], kind: str, threshold: float, guard: bool = True
) -> tuple[int, int]:
    """How many pairs of `kind` are predicted matches at `threshold`, out of how many."""
    of_kind = [s for s in scored if s.kind == kind]
    return sum(s.matches(threshold, guard) for s in of_kind), len(of_kind)


def subset(scored: list[Scored], negative_kind: str) -> list[Scored]:
    """The translations with only one kind of negative, for a precision per weakness."""
    return [s for s in scored if s.positive or s.kind == negative_kind]


def timings(encoder: ClaimEncoder, pairs: list[dict[str, str]]) -> tuple[float, float]:
    """Seconds to load the model (first call) and milliseconds per claim after that."""
    started = time.perf_counter()
    encoder.embed([pairs[0]["de"]])
    load = time.perf_counter() - started
    sentences = [p[lang] for p in pairs for lang in ("de", "en")]
    started = time.perf_counter()
    encoder.embed(sentences)
    per_claim = (time.perf_counter() - started) / len(sentences) * 1000
    return load, per_claim


def table(scored: list[Scored], chosen: float, guard: bool = True) -> str:
    lines = [
        "| threshold | precision | recall | F1 | TP | FP | FN |",
        "|---|---|---|---|---|---|---|",
    ]
    for threshold in sorted({*SHOWN, chosen}):
        m = metrics(scored, threshold, guard)
        mark = " **(chosen)**" if threshold == chosen else ""
        lines.append(
            f"| {threshold:.2f}{mark} | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f}"
            f" | {m.true_positives} | {m.false_positives} | {m.false_negatives} |"
        )
    return "\n".join(lines)


def ranges(scored: list[Scored]) -> str:
    lines = []
    for kind in ("translation", "proposition", "number"):
        values = [s.score for s in scored if s.kind == kind]
        lines.append(
            f"- {kind}: {len(values)} pairs, cosine {min(values):.2f}-{max(values):.2f},"
            f" median {float(np.median(values)):.2f}"
        )
    return "\n".join(lines)


def verdict(scored: list[Scored], chosen: float, guard: bool) -> list[str]:
    """The chosen threshold's figures, overall and against each kind of negative alone."""
    chosen_metrics = metrics(scored, chosen, guard)
    lines = [
        f"Threshold {chosen:.2f} (lowest with precision >= {MIN_PRECISION}):"
        f" precision {chosen_metrics.precision:.3f}, recall {chosen_metrics.recall:.3f},"
        f" F1 {chosen_metrics.f1:.3f}."
    ]
    for kind in ("proposition", "number"):
        wrong, total = accepted(scored, kind, chosen, guard)
        only = metrics(subset(scored, kind), chosen, guard)
        lines.append(
            f"- {kind} negatives accepted: {wrong}/{total};"
            f" precision against them alone {only.precision:.3f}"
        )
    return lines


def report(scored: list[Scored], load: float, per_claim: float) -> str:
    guarded, alone = choose_threshold(scored), choose_threshold(scored, guard=False)
    return "\n".join(
        [
            f"Model: {ENCODER_PACKAGE} (USE multilingual v3). Load: {load:.2f} s;"
            f" {per_claim:.1f} ms per claim in a batch.",
            "",
            ranges(scored),
            "",
            "Cosine and the same figures (what translation_match does):",
            "",
            table(scored, guarded),
            "",
            *verdict(scored, guarded, guard=True),
            "",
            "Cosine alone:",
            "",
            table(scored, alone, guard=False),
            "",
            *verdict(scored, alone, guard=False),
        ]
    )


def misses(scored: list[Scored], chosen: float) -> str:
    wrong = [s for s in scored if s.positive != s.matches(chosen)]
    return "\n".join(f"- {s.kind} {s.score:.3f}: {s.de} | {s.en}" for s in wrong)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="metrics per threshold as JSON")
    parser.add_argument("--verbose", action="store_true", help="also list every wrong pair")
    args = parser.parse_args()
    encoder = ClaimEncoder()
    pairs = load_pairs()
    load, per_claim = timings(encoder, pairs)
    scored = score(encoder, pairs)
    chosen = choose_threshold(scored)
    if args.json:
        print(json.dumps({"chosen": chosen, "sweep": [asdict(metrics(scored, t)) for t in SWEEP]}))
        return
    print(report(scored, load, per_claim))
    if args.verbose:
        print("\nWrong at the chosen threshold:\n" + misses(scored, chosen))


if __name__ == "__main__":
    main()
