"""The learned classifier and the ensemble: properties, shipped weights, held-out figures.

``python benchmarks/eval_classifier.py`` prints the full evaluation (leave-one-batch-out, the
rules as they were before each batch, held-out).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.community import (
    MAX_CHARS,
    Classification,
    Classifier,
    EnsembleClassifier,
    LearnedClassifier,
    RuleClassifier,
    classify,
)
from smmkit.community._learned import HASH_BUCKETS, _names_a_person, feature_names
from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageCategory, Platform

DATA = Path(__file__).parent / "data" / "labelled_messages.tsv"
CATEGORIES = tuple(MessageCategory)

LEARNED = LearnedClassifier()
RULES = RuleClassifier()
ENSEMBLE = EnsembleClassifier()

hostile_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    [
        "",
        "😍😍",
        "i d i o t s",
        "st*onzo!!!",
        "bit.ly/abc @promo.shop",
        "a" * 5000,
        "?" * 300,
        "\u200b\ufe0f",
        "http://",
        "@",
        "#",
    ]
)


def rows(split: str) -> list[tuple[str, str, MessageCategory]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (r["id"], r["text"], MessageCategory(r["category"]))
            for r in reader
            if r["split"] == split
        ]


def message(text: str) -> InboxMessage:
    return InboxMessage(
        channel="sandbox",
        platform=Platform.SANDBOX,
        message_id="m1",
        thread_id="p1",
        author="someone",
        text=text,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@settings(max_examples=60, deadline=None)
@given(hostile_text)
def test_learned_never_raises_and_is_deterministic(text: str) -> None:
    first = LEARNED.classify_text(text)
    assert first == LEARNED.classify_text(text)
    probabilities = LEARNED.probabilities(text)
    assert set(probabilities) == set(CATEGORIES)
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert first.category is max(probabilities, key=lambda c: probabilities[c])
    assert all(cue.startswith("learned:") for cue in first.cues)


@settings(max_examples=60, deadline=None)
@given(hostile_text)
def test_ensemble_never_raises_is_deterministic_and_keeps_rules_spam_and_abuse(text: str) -> None:
    result = ENSEMBLE.classify_text(text)
    assert result == ENSEMBLE.classify_text(text)
    assert result == ENSEMBLE.classify(message(text))
    ruled = classify(text)
    if ruled.category in (MessageCategory.SPAM, MessageCategory.ABUSE):
        assert result.category is ruled.category
    if result.category is MessageCategory.SPAM and ruled.category is not MessageCategory.SPAM:
        assert result.cues[-1] == "ensemble:spam-cue-and-model"
    if result.cues[-1] == "ensemble:target-and-model":
        assert result.category is MessageCategory.ABUSE
        assert _names_a_person(text)
        assert LEARNED.probabilities(text)[MessageCategory.ABUSE] >= 0.7
        assert not any(":praise:" in c for c in ruled.cues)


@settings(max_examples=80, deadline=None)
@given(
    hostile_text
    | st.lists(st.sampled_from(["servizio", "lento", "lento!", "@ciao", "x"]), max_size=30).map(
        " ".join
    )
)
def test_remembered_features_are_the_known_feature_names_in_order(text: str) -> None:
    """The model reads a text's features through per-word memos; what it reads must be
    exactly the known ones among feature_names(text), in order, each with its row, and the
    category each favours outright (the cues' source) as computed from the row."""
    model = LEARNED._get()
    expected = []
    for name in feature_names(text):
        row = model.log_prob.get(zlib.crc32(name.encode("utf-8")) % HASH_BUCKETS)
        if row is not None:
            expected.append((name, row))
    for _ in range(2):  # the first read fills the memos, the second reads them
        read = model.features(text)
        assert [(name, row) for name, row, _, _ in read] == expected
        for _, row, top, push in read:
            best = sorted(range(len(row)), key=lambda k: -row[k])
            unique = row[best[0]] > row[best[1]]
            assert top == (best[0] if unique else -1)
            assert push == row[best[1]] - row[best[0]]


def test_protocol_and_cues() -> None:
    assert isinstance(LEARNED, Classifier)
    assert isinstance(ENSEMBLE, Classifier)
    result = LEARNED.classify(
        message("Vorrei prenotare un tavolo per 4 sabato sera, quanto costa?")
    )
    assert isinstance(result, Classification)
    assert result.category is MessageCategory.LEAD
    assert result.cues and all(c.startswith("learned:") for c in result.cues)


def _sure(category: MessageCategory) -> LearnedClassifier:
    """A model that gives ``category`` most of the probability of any unknown text."""
    return LearnedClassifier.train(
        [(f"zzq{i} kkw{i}", category) for i in range(40)] + [("ciao", MessageCategory.OTHER)]
    )


def test_a_spam_hint_lets_the_model_decide_only_in_long_praise_or_nothing_in_particular() -> None:
    ensemble = EnsembleClassifier(learned=_sure(MessageCategory.SPAM), spam_above=0.5)
    pitch = (
        "Bravissimi, siete fantastici! Anche io preparo torte, scrivetemi per un assaggio gratis"
    )
    result = ensemble.classify_text(pitch)
    assert RULES.classify_text(pitch).category is MessageCategory.PRAISE
    assert result.category is MessageCategory.SPAM
    assert result.cues[-1] == "ensemble:spam-cue-and-model"
    for customer in (
        "Il parcheggio è gratis per i clienti?",  # a question: the customer's
        "Vi ho scritto su whatsapp ieri, potete rispondere per favore?",
        "Congratulations on the new shop!",  # too short to carry an offer
        "Bravissimi, siete fantastici, tanti complimenti per il nuovo negozio",  # no hint
    ):
        assert ensemble.classify_text(customer).category is not MessageCategory.SPAM, customer


GENUINE_WITH_SPAM_WORDS = (
    "Is delivery free?",
    "Il parcheggio è gratuito?",
    "Do you have a promo code for students?",
    "Posso pagare cash?",
    "Ho scritto in privato tre giorni fa e nessuno risponde",
    "Vi ho scritto su whatsapp ieri, potete rispondere?",
    "Ho vinto il premio della lotteria del vostro evento, come lo ritiro?",
    "Complimenti per la collaborazione con il comune!",
    "Congratulations on the new shop!",
    "The free dessert was a lovely touch, thank you",
    "I sent you a DM yesterday, still no answer",
    "I sent you a message last week about my order, no reply",
    "Ho partecipato all'estrazione, quando si sa il vincitore?",
    "Siete su telegram?",
    "My daughter won the giveaway last month, thank you so much!",
    "Can I contact you on whatsapp for an order?",
    "Ciao, sono una influencer di Bari, mi piacerebbe venire a cena, fate collaborazioni?",
    "I'm a teacher and my class would love a free visit, do you do school trips?",
)


@pytest.mark.parametrize("text", GENUINE_WITH_SPAM_WORDS)
def test_a_customer_who_mentions_free_dms_or_giveaways_is_not_spam(text: str) -> None:
    assert ENSEMBLE.classify_text(text).category is not MessageCategory.SPAM


def test_spam_dressed_as_praise_with_only_a_hint() -> None:
    text = "Che belle foto 😍 anche io faccio trading da un anno, chiedete pure"
    assert RULES.classify_text(text).category is MessageCategory.PRAISE
    result = ENSEMBLE.classify_text(text)
    assert result.category is MessageCategory.SPAM
    assert result.cues[-1] == "ensemble:spam-cue-and-model"


def test_the_models_abuse_counts_only_with_a_target_and_no_praise() -> None:
    ensemble = EnsembleClassifier(learned=_sure(MessageCategory.ABUSE), abuse_above=0.5)
    # (the rules read "ha il cervello di una gallina" themselves: a figurative insult)
    result = ensemble.classify_text("il titolare ha la memoria di una gallina")
    assert result.category is MessageCategory.ABUSE
    assert result.cues[-1] == "ensemble:target-and-model"
    assert ensemble.classify_text("The owner has the memory of a hen").cues[-1] == (
        "ensemble:target-and-model"
    )
    # no one addressed or named, or praise in it: the step does not fire
    assert ensemble.classify_text("un cervello di gallina").cues[-1] != "ensemble:target-and-model"
    praised = ensemble.classify_text("bravissimo il titolare 😍")
    assert praised.cues[-1] != "ensemble:target-and-model"


def test_the_models_abuse_vote_needs_a_target_or_a_short_message() -> None:
    ensemble = EnsembleClassifier(
        learned=_sure(MessageCategory.ABUSE), abuse_above=0.99, rule_weight=0.1
    )
    assert ensemble.classify_text("cervello di gallina").category is MessageCategory.ABUSE
    long_untargeted = "il cantiere qui davanti fa un rumore tremendo tutte le mattine"
    assert ensemble.classify_text(long_untargeted).category is not MessageCategory.ABUSE
    # a customer's question to the brand is not made abuse by the target step
    question = ensemble.classify_text("Ma siete la stessa proprietà dell'altro locale?")
    assert question.category is not MessageCategory.ABUSE


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("sei proprio un genio", True),
        ("La commessa mi ha ignorata", True),
        ("le commesse", True),
        ("the receptionist laughed", True),
        ("@marco guarda", True),
        ("whoever runs this page", True),
        ("pizza fredda e servizio lento", False),
        ("commesso", True),
        ("the room was cold", False),
        ("il tassista non è mai arrivato", True),  # an agent noun (-ista)
        ("the technician never came", True),
        ("la vista è bella", False),
        ("dovrebbero togliervi la licenza", True),  # an infinitive with "vi" attached
        ("the zookeeper shouted", True),  # a compound in -keeper
        ("sono aperti anche a pranzo?", False),  # "aperti" is no infinitive with "ti"
        ("le parti di ricambio", False),
    ],
)
def test_names_a_person(text: str, named: bool) -> None:
    assert _names_a_person(text) is named


def test_long_text_is_cut() -> None:
    long = "buonissimo " * (MAX_CHARS // 5)
    assert LEARNED.classify_text(long).category is LEARNED.classify_text(long[:4000]).category


def test_train_validates_its_input() -> None:
    with pytest.raises(ValidationError, match="category"):
        LearnedClassifier.train([("ciao", "greeting")])
    with pytest.raises(ValidationError, match="at least one"):
        LearnedClassifier.train([])
    with pytest.raises(ValidationError, match="alpha"):
        LearnedClassifier.train([("ciao", "other")], alpha=0)
    with pytest.raises(ValidationError, match="rule_weight"):
        EnsembleClassifier(rule_weight=1.5)
    with pytest.raises(ValidationError, match="language"):
        LEARNED.classify_text("ciao", language="fr")


def test_trained_model_learns_and_round_trips() -> None:
    pairs = [
        ("pizza fredda e servizio lento", MessageCategory.COMPLAINT),
        ("servizio lento, mai più", MessageCategory.COMPLAINT),
        ("quanto costa la torta?", MessageCategory.LEAD),
        ("quanto costa il menu?", MessageCategory.LEAD),
    ]
    model = LearnedClassifier.train(pairs)
    assert model.classify_text("servizio lentissimo").category is MessageCategory.COMPLAINT
    assert model.classify_text("quanto costa?").category is MessageCategory.LEAD
    again = LearnedClassifier.from_payload(json.loads(json.dumps(model.to_payload())))
    assert again.probabilities("quanto costa?") == model.probabilities("quanto costa?")
    with pytest.raises(ValidationError, match="format"):
        LearnedClassifier.from_payload({"format": "other"})


def test_a_payload_names_its_character_ngrams_and_older_ones_read_3_and_4() -> None:
    pairs = [("servizio lentissimo", "complaint"), ("quanto costa la torta?", "lead")]
    payload = LearnedClassifier.train(pairs).to_payload()
    assert payload["grams"] == [4]
    older = {k: v for k, v in payload.items() if k != "grams"}  # made before "grams" existed
    assert LearnedClassifier.from_payload(older)._get().grams == (3, 4)
    assert LearnedClassifier.from_payload(payload)._get().grams == (4,)
    with pytest.raises(ValidationError, match="grams"):
        LearnedClassifier.from_payload({**payload, "grams": ["x"]})


def test_shipped_weights_reproduce_from_the_tuning_split() -> None:
    """The shipped weights are byte for byte what ``benchmarks/train_classifier.py`` trains
    from the labelled set (the script's ``BATCHES``, the one list); retrain when this fails."""
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "train_classifier.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (
        f"shipped weights differ from the tuning split ({done.stdout.strip()}"
        f"{done.stderr.strip()[-500:]}): run python benchmarks/train_classifier.py"
    )


def _figures(
    predicted: list[MessageCategory], truth: list[MessageCategory]
) -> tuple[float, float, float]:
    f1s = []
    for c in CATEGORIES:
        tp = sum(p is c and t is c for p, t in zip(predicted, truth, strict=True))
        pred = sum(p is c for p in predicted)
        true = sum(t is c for t in truth)
        precision = tp / pred if pred else 0.0
        recall = tp / true if true else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    spam_pred = [t for p, t in zip(predicted, truth, strict=True) if p is MessageCategory.SPAM]
    spam_precision = sum(t is MessageCategory.SPAM for t in spam_pred) / len(spam_pred)
    abuse = [p for p, t in zip(predicted, truth, strict=True) if t is MessageCategory.ABUSE]
    abuse_recall = sum(p is MessageCategory.ABUSE for p in abuse) / len(abuse)
    return sum(f1s) / len(f1s), spam_precision, abuse_recall


def test_held_out_figures() -> None:
    """Measured 2026-12-02: ensemble macro F1 0.966, spam precision 1.000, abuse recall 1.000;
    learned alone 0.914 / 0.968 / 0.967 (asserted a little lower: the rules keep changing)."""
    held_out = rows("held-out")
    assert len(held_out) == 210
    truth = [c for _, _, c in held_out]
    macro, spam_p, abuse_r = _figures(
        [ENSEMBLE.classify_text(t).category for _, t, _ in held_out], truth
    )
    assert macro >= 0.94
    assert spam_p >= 0.97
    assert abuse_r >= 0.93
    macro, _, abuse_r = _figures([LEARNED.classify_text(t).category for _, t, _ in held_out], truth)
    assert macro >= 0.88
    assert abuse_r >= 0.9


@pytest.mark.parametrize("method", ["blend", "softmax"])
def test_linear_models_are_deterministic_and_round_trip(method: str) -> None:
    pairs = [
        ("pizza fredda e servizio lento", "complaint"),
        ("servizio lento, mai più", "complaint"),
        ("quanto costa la torta?", "lead"),
        ("quanto costa il menu?", "lead"),
        ("siete dei ladri e degli idioti", "abuse"),
    ]
    model = LearnedClassifier.train(pairs, method=method)  # type: ignore[arg-type]
    payload = model.to_payload()
    assert payload["format"] == "smmkit-linear-1"
    assert payload["method"] == method
    assert payload == LearnedClassifier.train(pairs, method=method).to_payload()  # type: ignore[arg-type]
    again = LearnedClassifier.from_payload(json.loads(json.dumps(payload)))
    for text in ("servizio lentissimo", "quanto costa?", "idioti", ""):
        assert again.probabilities(text) == model.probabilities(text)
    assert model.classify_text("siete degli idioti").category is MessageCategory.ABUSE
    shipped = LEARNED.to_payload()  # what ships: the blend, also what train() makes by default
    assert (shipped["format"], shipped["method"]) == ("smmkit-linear-1", "blend")
    assert LearnedClassifier.train(pairs).to_payload()["method"] == "blend"


def test_naive_bayes_is_still_trained_and_read() -> None:
    pairs = [("servizio lentissimo", "complaint"), ("quanto costa la torta?", "lead")]
    model = LearnedClassifier.train(pairs, method="naive-bayes")
    payload = model.to_payload()
    assert payload["format"] == "smmkit-nb-1"
    assert payload["temperature"] == 3.0
    again = LearnedClassifier.from_payload(json.loads(json.dumps(payload)))
    assert again.probabilities("quanto costa?") == model.probabilities("quanto costa?")
    assert again.classify_text("quanto costa?").category is MessageCategory.LEAD


def test_linear_training_and_payload_are_validated() -> None:
    pairs = [("ciao", "other")]
    cases: list[dict[str, Any]] = [
        {"method": "svm"},
        {"l2": 0.0},
        {"epochs": 0},
        {"epochs": True},
        {"temperature": -1.0},
        {"grams": [0]},
        {"grams": []},
    ]
    for bad in cases:
        with pytest.raises(ValidationError, match=next(iter(bad))):
            LearnedClassifier.train(pairs, **bad)
    payload = LearnedClassifier.train(pairs).to_payload()
    for broken in ({"bias": [0.0]}, {"scale": 0}, {"weights": [[1, 2]]}):
        with pytest.raises(ValidationError, match="linear"):
            LearnedClassifier.from_payload({**payload, **broken})


def test_linear_weights_keep_small_ones_out_of_the_payload() -> None:
    """Weights are stored in hundredths; a feature whose weights all round below two
    hundredths is dropped, so the shipped file stays small."""
    payload = LEARNED.to_payload()
    rows = payload["weights"]
    assert isinstance(rows, list) and rows
    assert all(max(abs(w) for w in row[1:]) >= 2 for row in rows)
    assert all(isinstance(w, int) for row in rows[:100] for w in row)
