"""The brand-voice linter: Italian tu/Lei in both directions, terms, emoji, shouting, disclosure."""

from __future__ import annotations

import pytest

from smmkit.content import VoiceFinding, VoiceRule, lint_voice
from smmkit.errors import ValidationError
from smmkit.models import EmojiPolicy, GrammaticalPerson, Register, VoiceProfile

TU = VoiceProfile(
    register=Register.INFORMAL, address={"it": GrammaticalPerson.TU}, emoji=EmojiPolicy.FREE
)
LEI = VoiceProfile(
    register=Register.FORMAL, address={"it": GrammaticalPerson.LEI}, emoji=EmojiPolicy.FREE
)

# A brand that says "tu", and drafts that slip into "Lei" (or are written in "Lei").
LEI_IN_A_TU_BRAND = [
    "Prenoti ora il tuo panettone e passa a ritirarlo quando vuoi.",
    "La aspettiamo in negozio per assaggiare la nuova focaccia.",
    "Ti ricordiamo che il Suo ordine sarà pronto domani mattina.",
    "Se vuoi, puoi ordinare online: Le ricordiamo che i ritiri iniziano il 10 dicembre.",
    "Scopra la nostra colomba artigianale, fatta con il lievito madre.",
    "Passi a trovarci in via Saragozza, ti offriamo un caffè.",
    "Gentile cliente, il tuo pane è pronto.",
    "Il Suo panettone è pronto: vieni a prenderlo quando preferisci.",
    "Venga a scoprire i dolci di Natale, ti aspettiamo!",
    "Grazie per aver scelto il nostro forno, La ringraziamo di cuore.",
    "Lei merita una colazione speciale: prova i nostri cornetti.",
    "Assaggi la torta di riso e dicci cosa ne pensi.",
    "Si iscriva alla newsletter e ricevi le novità ogni giovedì.",
    "Può prenotare il pranzo di domenica chiamando il negozio.",
    "Ci scriva per un ordine speciale, ti risponderemo subito.",
    "Per ringraziarLa della fiducia, ti regaliamo un biscotto.",
    "Scelga il Suo dolce preferito e lascia fare a noi.",
    "Le auguriamo buone feste da tutta la famiglia del forno.",
]

# A brand that says "Lei", and drafts that slip into "tu".
TU_IN_A_LEI_BRAND = [
    "Prenota ora il Suo panettone: lo troverà pronto dal 10 dicembre.",
    "Ti aspettiamo in negozio per la degustazione di sabato.",
    "La ringraziamo per l'ordine, il tuo pane sarà pronto alle otto.",
    "Scopri la nostra colomba artigianale e la prenoti online.",
    "Se passi da via Saragozza, Le offriamo un caffè.",
    "Vieni a trovarci: abbiamo preparato una sorpresa per Lei.",
    "Iscriviti alla newsletter per ricevere le nostre proposte.",
    "Puoi ritirare il Suo ordine fino alle diciannove.",
    "Prenotalo entro venerdì e Le riserviamo la forma più grande.",
    "Non dimenticare di ritirare il panettone prima di Natale.",
    "Siamo felici di aiutarti a scegliere il dolce per le feste.",
    "Il tuo ordine è stato confermato, La aspettiamo domani.",
    "Hai già assaggiato la nostra focaccia al rosmarino?",
    "Goditi il weekend con i nostri biscotti al burro.",
    "Scegli il ripieno che preferisce e noi lo prepariamo per Lei.",
    "Seguici su Instagram per non perdere le novità del forno.",
]

# Clean sentences, one register each: nothing to report.
CLEAN_TU = [
    "Il panettone è tornato: prenotalo in negozio o sul sito.",
    "Ti aspettiamo in via Saragozza dalle sette di mattina.",
    "Passa a trovarci e assaggia la focaccia appena sfornata.",
    "Il tuo ordine sarà pronto domani alle otto.",
    "Scopri le nostre colombe artigianali, fatte a mano come una volta.",
    "Se vuoi, puoi ritirare il pane anche la domenica.",
    "Torna il pane ai cereali, ogni martedì e venerdì.",
    "Sei ore di lievitazione per un impasto leggero e profumato.",
    "Hai già provato la nostra torta di riso?",
    "Iscriviti alla newsletter: ogni giovedì le novità del forno.",
    "La colomba si conserva bene per due settimane nella sua carta.",
    "Marco impasta all'alba, Lucia cura il lievito madre.",
    "Per le feste ti consigliamo di ordinare con qualche giorno di anticipo.",
    "Vieni a conoscere le persone che fanno il tuo pane ogni notte.",
    "Grazie a tutti per l'affetto di questi primi dieci anni!",
    "Lei è Lucia, la nostra pasticcera: assaggia le sue crostate.",
    "Abbiamo sfornato sei pagnotte e tre focacce, passa prima che finiscano.",
    "Porta Saragozza è a due passi dal forno.",
]
CLEAN_LEI = [
    "Il panettone è tornato: lo prenoti in negozio o sul sito.",
    "La aspettiamo in via Saragozza dalle sette di mattina.",
    "Passi a trovarci e assaggi la focaccia appena sfornata.",
    "Il Suo ordine sarà pronto domani alle otto.",
    "Scopra le nostre colombe artigianali, fatte a mano come una volta.",
    "Se desidera, può ritirare il pane anche la domenica.",
    "Torna il pane ai cereali, ogni martedì e venerdì.",
    "Sei ore di lievitazione per un impasto leggero e profumato.",
    "Le ricordiamo che il negozio resta aperto anche a Santo Stefano.",
    "Si iscriva alla newsletter: ogni giovedì le novità del forno.",
    "La colomba si conserva bene per due settimane nella sua carta.",
    "Marco impasta all'alba, Lucia cura il lievito madre.",
    "Per le feste Le consigliamo di ordinare con qualche giorno di anticipo.",
    "Venga a conoscere le persone che preparano il Suo pane ogni notte.",
    "La ringraziamo per la fiducia di questi primi dieci anni.",
]


def _register(findings: list[VoiceFinding]) -> list[VoiceFinding]:
    return [f for f in findings if f.rule is VoiceRule.REGISTER]


def test_corpus_sizes() -> None:
    assert len(LEI_IN_A_TU_BRAND) + len(TU_IN_A_LEI_BRAND) >= 30
    assert len(CLEAN_TU) + len(CLEAN_LEI) >= 30


def test_mixing_recall_both_directions() -> None:
    cases = [(s, TU) for s in LEI_IN_A_TU_BRAND] + [(s, LEI) for s in TU_IN_A_LEI_BRAND]
    missed = [s for s, voice in cases if not _register(lint_voice(s, voice, "it-IT"))]
    recall = 1 - len(missed) / len(cases)
    assert recall >= 0.9, f"recall {recall:.0%}; missed: {missed}"


@pytest.mark.parametrize("sentence", LEI_IN_A_TU_BRAND)
def test_findings_point_at_the_wrong_register(sentence: str) -> None:
    for f in _register(lint_voice(sentence, TU, "it-IT")):
        assert f.span is not None
        assert sentence[f.span[0] : f.span[1]] == f.found
        assert "Lei" in f.message


@pytest.mark.parametrize(
    ("sentence", "voice"), [(s, TU) for s in CLEAN_TU] + [(s, LEI) for s in CLEAN_LEI]
)
def test_clean_sentences_raise_nothing(sentence: str, voice: VoiceProfile) -> None:
    assert lint_voice(sentence, voice, "it-IT") == []


def test_suggestions_map_the_forms() -> None:
    by_word = {
        f.found: f.suggestion
        for f in lint_voice("Prenoti ora il Suo panettone, La aspettiamo.", TU, "it-IT")
    }
    assert by_word == {"Prenoti": "prenota", "Suo": "tuo", "La": "ti"}
    by_word = {
        f.found: f.suggestion
        for f in lint_voice("Prenota il tuo panettone, ti aspettiamo.", LEI, "it-IT")
    }
    assert by_word == {"Prenota": "prenoti", "tuo": "Suo", "ti": "La/Le"}


def test_banned_terms_case_accent_and_inflection() -> None:
    voice = VoiceProfile(
        banned_terms=("industriale", "low cost", "surgelato"),
        preferred_terms={"offerta": "proposta"},
    )
    text = "Niente pane INDUSTRIALI né prodotti Low-Cost: zero surgelàti. Le offerte? Proposte!"
    found = [
        (f.rule, f.found)
        for f in lint_voice(text, voice, "it-IT")
        if f.rule in {VoiceRule.BANNED_TERM, VoiceRule.PREFERRED_TERM}
    ]
    assert found == [
        (VoiceRule.BANNED_TERM, "INDUSTRIALI"),
        (VoiceRule.BANNED_TERM, "Low-Cost"),
        (VoiceRule.BANNED_TERM, "surgelàti"),
        (VoiceRule.PREFERRED_TERM, "offerte"),
    ]
    # word boundaries: "costume" is not "cost", "industrialmente" is an inflection
    assert lint_voice("Un costume di carnevale.", voice, "it-IT") == []


def test_english_register() -> None:
    formal = VoiceProfile(register=Register.FORMAL)
    informal = VoiceProfile(register=Register.INFORMAL)
    hits = lint_voice("Hey guys, we're gonna open early!", formal, "en-GB")
    assert [f.found for f in hits if f.rule is VoiceRule.REGISTER] == [
        "Hey",
        "guys",
        "we're",
        "gonna",
    ]
    assert next(f for f in hits if f.found == "we're").suggestion == "we are"
    stiff = lint_voice("Kindly note that we shall open at eight.", informal, "en-GB")
    assert [f.found for f in stiff] == ["Kindly", "shall"]
    assert lint_voice("We open at eight tomorrow, see you there.", informal, "en-GB") == []


def test_emoji_policy_and_shouting() -> None:
    none = VoiceProfile(emoji=EmojiPolicy.NONE)
    assert [f.found for f in lint_voice("Pane caldo 🍞 e dolci 🇮🇹", none, "it")] == ["🍞", "🇮🇹"]
    capped = VoiceProfile(emoji=EmojiPolicy.SPARING, max_emoji=2)
    over = lint_voice("🍞🥐🎄 tre", capped, "it")
    assert [(f.rule, f.found) for f in over] == [(VoiceRule.EMOJI, "🎄")]
    loud = lint_voice("OFFERTA IMPERDIBILE!!! Solo oggi, con #PANE e https://x.it/SALE", TU, "it")
    assert [(f.rule, f.found) for f in loud] == [
        (VoiceRule.SHOUTING, "OFFERTA"),
        (VoiceRule.SHOUTING, "IMPERDIBILE"),
        (VoiceRule.SHOUTING, "!!!"),
    ]


@pytest.mark.parametrize(
    ("text", "locale", "ok"),
    [
        ("#adv Il nostro panettone con il miele di Luca", "it-IT", True),
        ("Pubblicità: il panettone con il miele di Luca", "it-IT", True),
        ("In partnership a pagamento con Apicoltura Luca", "it-IT", True),
        ("Il panettone con il miele di Luca #ad", "it-IT", True),
        ("Il panettone con il miele di Luca #adorabile", "it-IT", False),
        ("Our jumper, knitted with Shetland wool #ad", "en-GB", True),
        ("Our jumper, knitted with Shetland wool", "en-GB", False),
    ],
)
def test_disclosure(text: str, locale: str, ok: bool) -> None:
    findings = [
        f for f in lint_voice(text, TU, locale, sponsored=True) if f.rule is VoiceRule.DISCLOSURE
    ]
    assert (findings == []) is ok
    if not ok:
        assert findings[0].span is None and findings[0].suggestion


def test_not_sponsored_needs_no_disclosure() -> None:
    assert lint_voice("Il panettone con il miele di Luca", TU, "it-IT") == []


def test_misuse_raises() -> None:
    with pytest.raises(ValidationError):
        lint_voice(None, TU, "it")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        lint_voice("ciao", "tu", "it")  # type: ignore[arg-type]
