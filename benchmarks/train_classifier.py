"""Train the learned classifier's shipped weights from the labelled set's tuning split.

Run: ``python benchmarks/train_classifier.py`` (a few seconds). Writes
``src/smmkit/community/_learned_weights.json.gz``; the output is byte-for-byte reproducible (a
softmax regression fitted by gradient descent in a fixed order from a fixed seed, weights
rounded to hundredths; gzip without a timestamp). ``--check`` compares instead of
writing and exits 1 when the shipped file differs.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

from smmkit.community import LearnedClassifier
from smmkit.models import MessageCategory

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "community" / "data" / "labelled_messages.tsv"
WEIGHTS = ROOT / "src" / "smmkit" / "community" / "_learned_weights.json.gz"
BATCHES = (
    "t",
    "t2",
    "t3",
    "t4",
    "t5",
    "t6",
    "t7",
    "t8",
    "t9",
    "t10",
    "t11",
    "t12",
    "t13",
    "t14",
    "t15",
    "t16",
    "t17",
    "t18",
    "t19",
    "t20",
    "t21",
    "t22",
    "t23",
    "t24",
    "t25",
    "t26",
)
"""The tuning batches (id prefixes) the shipped weights are trained on; batches added later to
the labelled set leave the weights reproducible until they are added here and retrained."""


def tuning_pairs(path: Path = LABELLED) -> list[tuple[str, MessageCategory]]:
    """The ``(text, category)`` pairs of the tuning split's :data:`BATCHES`, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (r["text"], MessageCategory(r["category"]))
            for r in rows
            if r["split"] == "tuning" and r["id"].split("-", 1)[0] in BATCHES
        ]


def weights_bytes(pairs: list[tuple[str, MessageCategory]]) -> bytes:
    """The gzip'd JSON of a model trained on ``pairs`` with the default settings."""
    payload = LearnedClassifier.train(pairs).to_payload()
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str]) -> int:
    data = weights_bytes(tuning_pairs())
    if "--check" in argv:
        same = WEIGHTS.exists() and WEIGHTS.read_bytes() == data
        print("shipped weights reproduce" if same else "shipped weights differ: retrain")
        return 0 if same else 1
    WEIGHTS.write_bytes(data)
    print(f"wrote {WEIGHTS.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
