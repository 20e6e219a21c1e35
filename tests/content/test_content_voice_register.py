"""The Italian tu/Lei check on a labelled set, and the constructions it reads as grammar.

``tests/content/data/voice_register_it.tsv`` holds 420 sentences written for this purpose (half
tu, half Lei); ``benchmarks/voice_register_it.py`` prints the figures per split, including the
last 60 sentences that were never tuned on. The thresholds below apply to the whole set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smmkit.content import VoiceRule, lint_voice
from smmkit.models import GrammaticalPerson, VoiceProfile

DATA = Path(__file__).parent / "data" / "voice_register_it.tsv"
TU = VoiceProfile(address={"it": GrammaticalPerson.TU})
LEI = VoiceProfile(address={"it": GrammaticalPerson.LEI})
VOICES = {"tu": TU, "lei": LEI}


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in DATA.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            split, address, text = line.split("\t")
            rows.append((split, address, text))
    return rows


def _flagged(text: str, voice: VoiceProfile) -> bool:
    return any(f.rule is VoiceRule.REGISTER for f in lint_voice(text, voice, "it-IT"))


def test_the_labelled_set_is_what_it_says() -> None:
    rows = _rows()
    assert len(rows) >= 400
    assert sum(a == "tu" for _, a, _ in rows) == sum(a == "lei" for _, a, _ in rows)
    assert {s for s, _, _ in rows} == {"tune", "holdout1", "holdout2", "holdout"}
    assert len({t for _, _, t in rows}) == len(rows)  # no sentence twice


@pytest.mark.parametrize(("voice", "other"), [("tu", "lei"), ("lei", "tu")])
def test_recall_and_false_alarms_on_the_labelled_set(voice: str, other: str) -> None:
    rows = _rows()
    wrong = [t for _, a, t in rows if a == other]
    right = [t for _, a, t in rows if a == voice]
    recall = sum(_flagged(t, VOICES[voice]) for t in wrong) / len(wrong)
    false_alarms = sum(_flagged(t, VOICES[voice]) for t in right) / len(right)
    assert recall >= 0.95, f"{voice} voice: recall {recall:.1%}"
    assert false_alarms <= 0.02, f"{voice} voice: false alarms {false_alarms:.1%}"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # after an introductory clause ending with a comma
        ("Per informazioni, ci chiami al numero verde.", "ci chiami"),
        ("Se ne desidera uno, prenoti entro le 18.", "prenoti"),
        ("Appena arrivato, si accomodi pure.", "si accomodi"),
        ("Dopo il pagamento, riceverà una ricevuta.", "riceverà"),
        # a compound tense with "ha", no subject before it
        ("Ha già ritirato l'ordine?", "Ha"),
        ("Oggi ha diritto alla consegna gratuita.", "ha"),
        # "Le" as indirect object before a future or conditional verb
        ("Le invieremo la fattura domani.", "Le"),
        ("Domani le invieremo la fattura.", "le invieremo"),
        ("Le converrebbe passare prima delle nove.", "Le converrebbe"),
    ],
)
def test_a_tu_voice_flags_formal_address_told_by_grammar(text: str, found: str) -> None:
    findings = [f for f in lint_voice(text, TU, "it-IT") if f.rule is VoiceRule.REGISTER]
    assert found in [f.found for f in findings]
    assert all("with Lei (formal)" in f.message for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "Il forno ha riaperto ieri dopo i lavori.",
        "Marco ha preparato le torte per la festa.",
        "Le torte arriveranno domani mattina.",
        "Ordina le torte entro giovedì: le spediremo lunedì.",
        "Le abbiamo sfornate all'alba, prendile ancora calde.",
        "Quando arriva il corriere, ti mandiamo un messaggio.",
        "Se passa il furgone, fermalo tu.",
    ],
)
def test_a_tu_voice_does_not_flag_third_persons(text: str) -> None:
    assert not _flagged(text, TU)


@pytest.mark.parametrize(
    ("text", "flagged_by_lei_voice"),
    [
        ("Quando assaggerai la torta, capirai.", True),
        ("Quando assaggerà la torta, capirà.", False),
        ("Sei passato in negozio?", True),
        ("Con la tessera entri anche la domenica.", True),
        ("Con la tessera entra anche la domenica.", False),
    ],
)
def test_a_lei_voice_reads_the_person_of_verbs(text: str, flagged_by_lei_voice: bool) -> None:
    assert _flagged(text, LEI) is flagged_by_lei_voice
