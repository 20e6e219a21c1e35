"""Recall and false alarms of the Italian tu/Lei check on a labelled set of sentences.

Run: ``.venv/bin/python benchmarks/voice_register_it.py [--show-misses]``

The set is ``tests/content/data/voice_register_it.tsv``: sentences written for this purpose,
half addressing the reader with "tu", half with "Lei", each marked ``tune`` (used while writing
the rules), ``holdout1`` to ``holdout22`` (held out, measured once, then tuned on:
their first figures are in the file's header) or ``holdout`` (written last, never looked at
while tuning). Rows labelled ``none`` address nobody (third persons, impersonal "si"): any
register finding on them is a false alarm for either voice. For each split, for ``seen``
(every split but ``holdout``: what the rules were tuned on), for ``holdout`` apart and for
``all`` together, and each direction, it prints:

- recall: the share of sentences in the other register that the voice flags (a "tu" voice
  must flag every Lei sentence; a "Lei" voice every tu sentence);
- false alarms: the share of sentences in the voice's own register that get a register finding;
- for ``none`` rows (where a split has them), the share flagged by a tu or a Lei voice.

The targets are recall >= 95% and false alarms <= 2% in both directions;
``tests/content/test_content_voice_register.py`` checks them. Exit status 1 if one is missed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from smmkit.content import VoiceRule, lint_voice
from smmkit.models import GrammaticalPerson, VoiceProfile

DATA = Path(__file__).resolve().parents[1] / "tests" / "content" / "data" / "voice_register_it.tsv"
VOICES = {
    "tu": VoiceProfile(address={"it": GrammaticalPerson.TU}),
    "lei": VoiceProfile(address={"it": GrammaticalPerson.LEI}),
}
SPLITS = [
    "tune",
    "holdout1",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
    "holdout11",
    "holdout12",
    "holdout13",
    "holdout14",
    "holdout15",
    "holdout16",
    "holdout17",
    "holdout18",
    "holdout19",
    "holdout20",
    "holdout21",
    "holdout22",
    "seen",
    "holdout",
    "all",
]
MIN_RECALL = 0.95
MAX_FALSE_ALARMS = 0.02


def load(path: Path = DATA) -> list[tuple[str, str, str]]:
    """(split, address, text) rows of the labelled set."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        split, address, text = line.split("\t")
        rows.append((split, address, text))
    return rows


def flagged(text: str, voice: str) -> bool:
    findings = lint_voice(text, VOICES[voice], "it-IT")
    return any(f.rule is VoiceRule.REGISTER for f in findings)


def figures(rows: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """Per direction ("tu voice", "Lei voice"): recall, false alarms and the counts."""
    out: dict[str, dict[str, float]] = {}
    for voice, other in (("tu", "lei"), ("lei", "tu")):
        wrong = [text for _, address, text in rows if address == other]
        right = [text for _, address, text in rows if address == voice]
        caught = sum(flagged(text, voice) for text in wrong)
        alarms = sum(flagged(text, voice) for text in right)
        out[f"{voice} voice"] = {
            "recall": caught / len(wrong),
            "false_alarms": alarms / len(right),
            "caught": caught,
            "wrong": len(wrong),
            "alarms": alarms,
            "right": len(right),
        }
    neutral = [text for _, address, text in rows if address == "none"]
    if neutral:
        alarms = sum(flagged(text, "tu") or flagged(text, "lei") for text in neutral)
        out["none"] = {
            "false_alarms": alarms / len(neutral),
            "alarms": alarms,
            "right": len(neutral),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list misses and alarms")
    parser.add_argument("--split", choices=SPLITS, default=None)
    args = parser.parse_args(argv)
    rows = load()
    ok = True
    splits = [args.split] if args.split else SPLITS
    print(f"{'split':<9} {'direction':<10} {'recall':>16} {'false alarms':>16}")
    for split in splits:
        chosen = [
            r
            for r in rows
            if split == "all" or r[0] == split or (split == "seen" and r[0] != "holdout")
        ]
        if not chosen:
            continue
        for direction, f in figures(chosen).items():
            if direction == "none":
                good = f["false_alarms"] <= MAX_FALSE_ALARMS
                ok &= good
                print(
                    f"{split:<9} {'no address':<10} {'':>16} "
                    f"{f['false_alarms']:>7.1%} ({int(f['alarms'])}/{int(f['right'])})"
                    + ("" if good else "  MISSES TARGET")
                )
                continue
            good = f["recall"] >= MIN_RECALL and f["false_alarms"] <= MAX_FALSE_ALARMS
            ok &= good
            print(
                f"{split:<9} {direction:<10} "
                f"{f['recall']:>7.1%} ({int(f['caught'])}/{int(f['wrong'])}) "
                f"{f['false_alarms']:>7.1%} ({int(f['alarms'])}/{int(f['right'])})"
                + ("" if good else "  MISSES TARGET")
            )
        if args.show_misses:
            for _, address, text in chosen:
                for voice in ("tu", "lei"):
                    if address == "none":
                        if flagged(text, voice):
                            print(f"   alarm [{voice} voice] (none) {text}")
                        continue
                    hit = flagged(text, voice)
                    if (address != voice and not hit) or (address == voice and hit):
                        kind = "miss " if address != voice else "alarm"
                        print(f"   {kind} [{voice} voice] ({address}) {text}")
    print(f"targets: recall >= {MIN_RECALL:.0%}, false alarms <= {MAX_FALSE_ALARMS:.0%}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
