"""Record what the rules said about each tuning batch BEFORE that batch was tuned on.

Run once from a git checkout: ``python benchmarks/rules_before_tuning.py``. For each batch ``tK``
(K = 2..26) it extracts the sources at the parent of the commit "classifier round K" (the rules as
they were when the batch was written), classifies the batch's texts with them in a subprocess,
and writes ``benchmarks/data/rules_before_tuning.tsv`` (id, category, confidence, cues). The
evaluation (``benchmarks/eval_classifier.py``) uses it to score the ensemble honestly on wording
the rules had not seen.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "community" / "data" / "labelled_messages.tsv"
OUT = ROOT / "benchmarks" / "data" / "rules_before_tuning.tsv"
ROUNDS = {  # batch -> the commit that added it to the tuning set (its parent never saw it)
    "t2": "2c9d5a1",
    "t3": "bf22099",
    "t4": "8ee39b4",
    "t5": "16cf1e7",
    "t6": "a892d3c",
    "t7": "9447159",
    "t8": "e2515d8",
    "t9": "a0e31a9",
    "t10": "9ec4178",
    "t11": "4ba3054",
    "t12": "b9894c3",
    "t13": "a6fad8d",
    "t14": "6c217bd",
    "t15": "d2583a5",
    "t16": "10d793b",
    "t17": "f1983fa",  # t17 and t18 were added together, before any tuning on either
    "t18": "f1983fa",
    "t19": "4d8d1ec",  # written after the round 17-18 tuning (its parent has that tuning)
    "t20": "8c94eeb",  # also after it, before any other tuning
    "t21": "d958db9",  # after the second tuning round (on t19-t20)
    "t22": "5c354e5",  # after the model was retrained on t..t21
    "t23": "fce6e61",  # held out from the round 23 tuning (on t21-t22), committed before it
    "t24": "5dac9b0",  # held out from the round 24 tuning (on t23), committed before it
    "t25": "ff29cdc",  # held out from the round 25 tuning (on t24), committed before it
    "t26": "01cf664",  # held out from the model's 4-gram change (round 26), committed before it
}
CHILD = """
import json, sys
from smmkit.community import RuleClassifier  # the rules alone (the default is an ensemble since)
classify = RuleClassifier().classify_text
for line in sys.stdin:
    item = json.loads(line)
    r = classify(item["text"])
    print(json.dumps([item["id"], r.category.value, r.confidence, list(r.cues)]))
"""


def main() -> int:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    found: list[list[object]] = []
    for batch, commit in ROUNDS.items():
        texts = [r for r in rows if r["id"].split("-", 1)[0] == batch]
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", f"{commit}^", "src"],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            lines = "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in texts)
            result = subprocess.run(
                [sys.executable, "-c", CHILD],
                input=lines,
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": str(Path(tmp) / "src"), "PATH": "/usr/bin:/bin"},
            )
        got = [json.loads(line) for line in result.stdout.splitlines()]
        right = sum(g[1] == r["category"] for g, r in zip(got, texts, strict=True))
        print(f"{batch} at {commit}^: {right}/{len(texts)} right")
        found.extend(got)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("id\tcategory\tconfidence\tcues\n")
        for item_id, category, confidence, cues in found:
            joined = "|".join(str(c).replace("\t", " ").replace("|", "/") for c in cues)  # type: ignore[attr-defined]
            handle.write(f"{item_id}\t{category}\t{confidence}\t{joined}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
