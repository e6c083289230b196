"""Does extract() stay linear as its input doubles, for news and for hostile text?

    .venv/bin/python bench/linearity.py [--min-kb 64] [--max-kb 4096] [--repeat 3]

For each kind of input, the text is doubled from --min-kb to --max-kb (characters, ~bytes
for ASCII) and extract() is timed on it, best of --repeat (one run above 1 MB: the noise
there is small against the time). Printed per size: seconds, and the ratio t(2n)/t(n),
which stays near 2 when the cost is linear (4 would be quadratic). A single ratio is noisy on
a shared machine (a line is flagged above 3, and the next one usually falls back below 2);
the verdict per input is the exponent k of time ~ size^k fitted over all sizes (least squares
on the logarithms): 1 is linear, 2 quadratic. Above 1.3 the input is called super-linear.

Inputs:
  news        the sample article, then PolNeAR's article texts (../shared/data), in file
              order; without the shared data the sample alone, repeated
  no-punct    words and spaces, not one full stop or line break
  quotes      nothing but opening curly quotes
  straight    straight double quotes and words: every quote opens or closes
  digits      one number, all digits, no spaces
  one-word    a single word of N letters
  brackets    "(" and words, never closed
  newlines    short lines without final punctuation (headline-like, rejoined or not)
  abbrev      "U.S. Gen. No. 5 a.m." over and over: every full stop is a decision
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.extraction import extract  # noqa: E402

SAMPLE = ROOT / "claims" / "samples" / "armenia-azerbaijan-border-clashes-2020-07-18.txt"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear-train-dev"


def news(size: int) -> str:
    parts = [SAMPLE.read_text(encoding="utf-8")]
    total = len(parts[0])
    for path in sorted(POLNEAR.glob("*/text/*")):
        if total >= size:
            break
        text = path.read_text(encoding="utf-8", errors="replace")
        parts.append(text)
        total += len(text) + 2
    text = "\n\n".join(parts)
    while len(text) < size:
        text = text + "\n\n" + text
    return text[:size]


def repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


INPUTS: dict[str, Callable[[int], str]] = {
    "news": news,
    "no-punct": repeat("soldiers were killed on Sunday the ministry said "),
    "quotes": repeat("\u201c"),
    "straight": repeat('"We will respond" he said "never" '),
    "digits": repeat("1234567890"),
    "one-word": repeat("a"),
    "brackets": repeat("(at least 12 soldiers "),
    "newlines": repeat("Border clashes on the\n"),
    "abbrev": repeat("The U.S. Gen. Smith said No. 5 fell at 4 a.m. Mr. Jones agreed. "),
}


def best_time(text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - start)
    return best


def exponent(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(t, 1e-9)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-kb", type=int, default=64)
    parser.add_argument("--max-kb", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(INPUTS), help="Inputs to run.")
    args = parser.parse_args()

    sizes = []
    size = args.min_kb * 1024
    while size <= args.max_kb * 1024:
        sizes.append(size)
        size *= 2
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor()}")
    print(f"news text from {'PolNeAR + sample' if POLNEAR.is_dir() else 'the sample only'}")
    print(f"{'input':<10} {'size':>9} {'seconds':>9} {'t(2n)/t(n)':>11}")
    worst: list[tuple[float, str]] = []
    for name in args.only or INPUTS:
        make = INPUTS[name]
        times: list[float] = []
        for size in sizes:
            text = make(size)
            seconds = best_time(text, args.repeat if size <= 1024 * 1024 else 1)
            ratio = seconds / times[-1] if times and times[-1] > 0 else None
            times.append(seconds)
            flag = "  <-- super-linear?" if ratio is not None and ratio > 3 else ""
            shown = f"{ratio:>11.2f}" if ratio is not None else f"{'':>11}"
            print(f"{name:<10} {size // 1024:>7}KB {seconds:>9.4f} {shown}{flag}", flush=True)
        worst.append((exponent(sizes, times), name))
        print(f"{name:<10} time ~ size^{worst[-1][0]:.2f}", flush=True)
    k, name = max(worst)
    print(
        f"\nSteepest: {name}, time ~ size^{k:.2f} "
        f"({'linear' if k <= 1.3 else 'SUPER-LINEAR'}; 1 is linear, 2 quadratic)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
