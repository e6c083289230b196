"""Quality of the claim extractor on held-out, human-labelled data.

    .venv/bin/python bench/quality.py [--data ../shared/data]

1. Check-worthiness (is this sentence a claim worth checking?), precision / recall / F1 of
   ``extract`` run on each sentence alone, and average precision of its score, on:

   * ClaimBuster ``test.json`` (702 sentences, balanced). The model was trained on the
     ClaimBuster union minus these ids (bench/train_checkworthiness.py).
   * CheckThat! 2019 task 1, files from 2017, 2018 and 2019 (held out by file; the model
     saw only the 2016 files, and no sentence whose text is in a held-out set). Average
     precision is also given per debate and averaged (MAP), the shared task's measure.

   Compared in the same run with a trivial baseline, "any number -> claim" (a digit or a
   number word in the sentence), and with the learned model alone (log-odds > 0).

2. Attribution on the PolNeAR dev split (84 articles; the first annotator's file where there
   are two). ``extract`` runs on each article (with its publication date from metadata.tsv).

   * attribution recall: a gold attribution (an ``E`` line) is found when its Cue span
     overlaps a claim typed ``quote`` or ``attribution``;
   * attribution precision: share of ``quote``/``attribution`` claims that overlap the Cue or
     Content span of some gold attribution;
   * speaker accuracy, over the found attributions that have a Source span: the claim's
     speaker matches the gold Source when the last word of either occurs among the words of
     the other (case-insensitive, possessive 's dropped): "Dmitry Peskov" matches "Kremlin
     spokesman Dmitry Peskov", "Trump" matches "Donald Trump". A gold Source that is a
     pronoun or relative ("he", "who", "I") is replaced by the nearest preceding named gold
     Source in the article, as a reader would resolve it. One claim has one speaker, so a
     sentence with two sources can match only one of them: that counts against us.

   Baseline: a sentence (same segmentation) is an attribution when it contains "said",
   "says", "told" or "according to"; its speaker is the run of capitalised words right
   before the first "said"/"says"/"told", or right after "according to".
"""

# ruff: noqa: RUF001 - curly apostrophes occur in the names being matched

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from train_checkworthiness import DEFAULT_DATA, Example, load_splits  # noqa: E402

from claims.extraction import analyse, extract, model, segment, sentence_model  # noqa: E402
from claims.extraction.lexicon import word_set  # noqa: E402

NUMBER_WORDS = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
    r"|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|percent)\b",
    re.IGNORECASE,
)
PRONOUNS = word_set(
    "he she they it we i you who which that his her their its him them us me whom whose this "
    "these those one"
)


@dataclass(slots=True)
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def average_precision(scored: list[tuple[float, int]]) -> float:
    """Area under the precision-recall steps, ties taken together (as scikit-learn does)."""
    positives = sum(gold for _, gold in scored)
    if not positives:
        return 0.0
    ranked = sorted(scored, key=lambda x: -x[0])
    ap = 0.0
    seen = hits = 0
    previous_recall = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            hits += ranked[j][1]
            j += 1
        seen = j
        recall = hits / positives
        ap += (recall - previous_recall) * (hits / seen)
        previous_recall = recall
        i = j
    return ap


def engine_score(text: str) -> float:
    """The engine's score for a sentence on its own (0 when a gate rules it out)."""
    found = [a for a in analyse(text) if a.assessment is not None]
    return max((a.assessment.score for a in found if a.assessment), default=0.0)


@contextlib.contextmanager
def without_learned_model():
    """The extractor as it was before the learned sentence model: rules and word model."""
    real = sentence_model.loaded
    sentence_model.loaded = lambda: None  # type: ignore[assignment]
    try:
        yield
    finally:
        sentence_model.loaded = real  # type: ignore[assignment]


def checkworthiness(name: str, examples: list[Example]) -> list[str]:
    systems = {
        "extract (rules + learned model + word model)": PRF(),
        "extract before (rules + word model)": PRF(),
        "learned model alone": PRF(),
        "word model alone": PRF(),
        "baseline: any number": PRF(),
    }
    scored: dict[str, list[tuple[float, int]]] = {k: [] for k in systems}
    by_file: dict[str, list[tuple[float, int]]] = defaultdict(list)
    by_file_before: dict[str, list[tuple[float, int]]] = defaultdict(list)
    learned = sentence_model.logits([ex.text for ex in examples])
    for ex, learned_logit in zip(examples, learned.tolist(), strict=True):
        score = engine_score(ex.text)
        predicted = bool(extract(ex.text))
        with without_learned_model():
            score_before = engine_score(ex.text)
            predicted_before = bool(extract(ex.text))
        logit = model.logit(ex.text)
        number = bool(NUMBER_WORDS.search(ex.text))
        gold = bool(ex.label)
        for system, p, s in (
            ("extract (rules + learned model + word model)", predicted, score),
            ("extract before (rules + word model)", predicted_before, score_before),
            ("learned model alone", learned_logit > 0, learned_logit),
            ("word model alone", logit > 0, logit),
            ("baseline: any number", number, float(number)),
        ):
            systems[system].add(p, gold)
            scored[system].append((s, ex.label))
        by_file[ex.source].append((score, ex.label))
        by_file_before[ex.source].append((score_before, ex.label))
    positives = sum(ex.label for ex in examples)
    rows = []
    for system, prf in systems.items():
        ap = average_precision(scored[system])
        rows.append(
            f"| {name} | {system} | {prf.precision:.3f} | {prf.recall:.3f} | {prf.f1:.3f} "
            f"| {ap:.3f} |"
        )
    if len(by_file) > 1:
        for label, files in (("extract", by_file), ("extract before", by_file_before)):
            maps = [average_precision(v) for v in files.values()]
            rows.append(
                f"| {name} | {label}, MAP over {len(files)} debates | | | "
                f"| {sum(maps) / len(maps):.3f} |"
            )
    print(f"  {name}: {len(examples)} sentences, {positives} check-worthy", file=sys.stderr)
    return rows


@dataclass(slots=True)
class Gold:
    cue: list[tuple[int, int]]
    content: list[tuple[int, int]]
    source: str | None
    source_start: int


def read_ann(path: Path) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, _, offsets = parts[1].partition(" ")
            frags = []
            for frag in offsets.split(";"):
                a, b = frag.split()
                frags.append((int(a), int(b)))
            spans[parts[0]] = (kind, frags, parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out = []
    for rel in relations:
        cue = spans.get(rel.get("Cue", ""), ("", [], ""))[1]
        content = spans.get(rel.get("Content", ""), ("", [], ""))[1]
        source = spans.get(rel.get("Source", ""))
        out.append(
            Gold(
                cue=cue,
                content=content,
                source=source[2] if source else None,
                source_start=source[1][0][0] if source else -1,
            )
        )
    return out


def _words(text: str) -> list[str]:
    return [w.lower().removesuffix("’s").removesuffix("'s") for w in re.findall(r"[\w’']+", text)]


def _named(source: str) -> bool:
    return any(w not in PRONOUNS for w in _words(source))


def speaker_matches(predicted: str | None, gold: str | None) -> bool:
    if not predicted or not gold:
        return False
    p, g = _words(predicted), _words(gold)
    return bool(p and g) and (p[-1] in g or g[-1] in p)


def overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s < b and a < e for s, e in spans)


_BASE_CUE = re.compile(r"\b(?:said|says|told)\b|\baccording to\b", re.IGNORECASE)
_CAPS_BEFORE = re.compile(r"((?:[A-Z][\w.’'-]*\s+){1,4})(?:said|says|told)\b")
_CAPS_AFTER = re.compile(r"according to\s+((?:the\s+)?(?:[A-Z][\w.’'-]*\s*){1,4})", re.I)


def baseline_speaker(sentence: str) -> str | None:
    m = _CAPS_BEFORE.search(sentence) or _CAPS_AFTER.search(sentence)
    return m.group(1).strip() if m else None


def attribution(data: Path) -> list[str]:
    folder = data / "polnear-train-dev"
    published: dict[str, dt.date] = {}
    with (folder / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            with contextlib.suppress(ValueError):
                published[row["filename"]] = dt.date.fromisoformat(row["publication_date"])
    anns: dict[str, Path] = {}
    for path in sorted((folder / "dev" / "attributions").glob("*.ann")):
        anns.setdefault(path.stem.rsplit("_", 1)[0], path)
    stats = {
        "extract": {"gold": 0, "found": 0, "with_source": 0, "right": 0, "claims": 0, "hit": 0},
        "baseline": {"gold": 0, "found": 0, "with_source": 0, "right": 0, "claims": 0, "hit": 0},
    }
    named = {"with_source": 0, "right": 0}
    for stem, ann in anns.items():
        text = (folder / "dev" / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        golds = [g for g in read_ann(ann) if g.cue]
        # Resolve pronoun sources to the nearest earlier named source.
        named_sources = sorted(
            (g.source_start, g.source) for g in golds if g.source and _named(g.source)
        )
        resolved: list[str | None] = []
        for g in golds:
            if g.source and not _named(g.source):
                earlier = [s for pos, s in named_sources if pos < g.source_start]
                resolved.append(earlier[-1] if earlier else None)
            else:
                resolved.append(g.source)
        ours = [
            (c.start, c.end, c.speaker)
            for c in extract(text, published.get(stem))
            if "quote" in c.types or "attribution" in c.types
        ]
        base = [
            (a, b, baseline_speaker(text[a:b]))
            for a, b in segment(text)
            if _BASE_CUE.search(text[a:b])
        ]
        for system, predicted in (("extract", ours), ("baseline", base)):
            s = stats[system]
            s["claims"] += len(predicted)
            s["hit"] += sum(
                1
                for a, b, _ in predicted
                if any(overlaps(g.cue, a, b) or overlaps(g.content, a, b) for g in golds)
            )
            for g, source in zip(golds, resolved, strict=True):
                s["gold"] += 1
                match = [sp for a, b, sp in predicted if overlaps(g.cue, a, b)]
                if not match:
                    continue
                s["found"] += 1
                if source:
                    s["with_source"] += 1
                    right = speaker_matches(match[0], source)
                    s["right"] += right
                    if system == "extract" and g.source and _named(g.source):
                        named["with_source"] += 1
                        named["right"] += right
    rows = []
    for system, s in stats.items():
        recall = s["found"] / s["gold"] if s["gold"] else 0.0
        precision = s["hit"] / s["claims"] if s["claims"] else 0.0
        accuracy = s["right"] / s["with_source"] if s["with_source"] else 0.0
        rows.append(
            f"| PolNeAR dev ({len(anns)} articles, {s['gold']} attributions) | {system} "
            f"| {precision:.3f} | {recall:.3f} | {accuracy:.3f} ({s['right']}/{s['with_source']}) |"
        )
    if named["with_source"]:
        correct, total = named["right"], named["with_source"]
        rows.append(
            f"| PolNeAR dev, gold source named (not a pronoun) | extract | | "
            f"| {correct / total:.3f} ({correct}/{total}) |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="Extraction quality on held-out data")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not (args.data / "claimbuster").is_dir():
        print(f"No labelled data at {args.data} (expected ../shared/data); nothing to measure.")
        return 2
    print("Loading splits...", file=sys.stderr)
    splits = load_splits(args.data)
    print(
        f"  model trained on {len(splits.train)} sentences (see train_checkworthiness.py)",
        file=sys.stderr,
    )
    rows = [
        *checkworthiness("ClaimBuster test.json (trained on the rest)", splits.claimbuster_test),
        *checkworthiness("CheckThat! 2019, held-out files 2017-2019", splits.checkthat_heldout),
    ]
    print("Check-worthiness")
    print()
    print("| split | system | precision | recall | F1 | avg precision |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print("Attribution and speakers")
    print()
    print("| split | system | precision | recall | speaker accuracy |")
    print("|---|---|---|---|---|")
    print("\n".join(attribution(args.data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
