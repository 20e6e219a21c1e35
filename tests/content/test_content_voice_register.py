"""The Italian tu/Lei check on a labelled set, and the constructions it reads as grammar.

``tests/content/data/voice_register_it.tsv`` holds 2,633 sentences written for this purpose
(1,203 tu, 1,203 Lei, 227 addressing nobody); ``benchmarks/voice_register_it.py`` prints the
figures per split, including the last 60 sentences ("holdout") that were never tuned on. The
thresholds below apply to the whole set.
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
    splits = {
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
        "holdout",
    }
    assert {s for s, _, _ in rows} == splits
    assert {a for _, a, _ in rows} == {"tu", "lei", "none"}
    for split, size in (("holdout4", 80), ("holdout", 40)):
        held_out = [a for s, a, _ in rows if s == split]
        assert len(held_out) >= size and held_out.count("tu") == held_out.count("lei")
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


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # thanks for "suo/sua", with nobody else named
        ("Grazie al suo aiuto, abbiamo raccolto mille euro per il canile.", "suo"),
        # a subjunctive after "qualunque cosa" / "ovunque", no subject of its own
        ("Qualunque cosa scelga, sarà fresca di giornata.", "scelga"),
        ("Ovunque si trovi, la consegna è gratuita.", "trovi"),
        # "la" before a verb whose object is a person
        ("Il personal trainer la aspetta alle diciotto.", "la aspetta"),
        ("Il nostro sarto la contatterà per fissare la prova.", "la contatterà"),
        # a pronominal verb after "quando"
        ("Quando si allena con noi, il primo mese è gratis.", "si allena"),
        # periphrastic forms, with an adverb between modal and infinitive
        ("Sta per ricevere una sorpresa dal nostro team.", "Sta"),
        ("Deve solo inserire il codice sul sito.", "Deve"),
        # missing accents, and a sentence opening with a future
        ("Dovra solo portare lo scontrino in cassa.", "Dovra"),
        ("Puo ritirare il pacco dalle nove.", "Puo"),
        ("Trovera il modulo allegato alla mail.", "Trovera"),
        # verbs beyond the first lexicon
        ("Attenda la mail di conferma prima di venire.", "Attenda"),
        ("Si abboni entro venerdì e risparmi il venti per cento.", "Si abboni"),
    ],
)
def test_a_tu_voice_flags_wider_formal_grammar(text: str, found: str) -> None:
    findings = [f for f in lint_voice(text, TU, "it-IT") if f.rule is VoiceRule.REGISTER]
    assert found in [f.found for f in findings]


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        ("Sta per iniziare la diretta: collegati subito.", "tu"),  # the broadcast is starting
        ("Arriverà il Natale e con lui i nostri panettoni: prenota il tuo.", "tu"),
        ("Qui si mangia bene e si spende poco, passa a trovarci.", "tu"),  # impersonal "si"
        ("Scelga il maglione e lo ricamiamo con le Sue iniziali.", "lei"),  # a noun, not "-li"
        ("Abbiamo sfornato le brioche: le trova in vetrina.", "lei"),
    ],
)
def test_wider_grammar_keeps_its_own_register_quiet(text: str, voice: str) -> None:
    assert not _flagged(text, VOICES[voice])


def test_tu_forms_of_the_wider_lexicon_are_flagged_by_a_lei_voice() -> None:
    for text in (
        "Inserisci il codice e conferma l'ordine.",
        "Abbonati entro venerdì e risparmia il venti per cento.",
        "Personalizza la tazza con un nome.",
    ):
        assert _flagged(text, LEI), text


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ("Lo sapevi che la focaccia si congela benissimo?", "lei"),  # 2nd person imperfect
        ("Cercavi un regalo last minute? Eccolo.", "lei"),
        ("Ricordi di confermare l'orario del ritiro.", "tu"),  # a command, not "memories"
        ("I biscotti sono finiti, ma può ordinarli per lunedì.", "tu"),  # modal after "ma"
        ("Le torte sono esaurite, ma puoi prenotarle per domenica.", "lei"),
    ],
)
def test_imperfects_nounlike_commands_and_modals_after_ma(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        ("Se la spedizione ritarda, scrivici e ti rispondiamo subito.", "tu"),  # article + noun
        ("Ricordi di viaggio: la nostra nuova collezione di tazze.", "tu"),  # the noun
        ("Le chiavi del negozio sono al bancone, chiedi a Marco.", "tu"),  # not an imperfect
    ],
)
def test_nouns_are_not_read_as_verbs(text: str, voice: str) -> None:
    assert not _flagged(text, VOICES[voice])


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ("I posti sono pochi, non aspettare.", "lei"),  # a negated command after a comma
        ("I posti sono pochi, non aspetti.", "tu"),
        ("Dai un'occhiata ai nuovi arrivi.", "lei"),  # "dare", not the preposition
        ("Cercava un regalo per la mamma?", "tu"),  # a question opening with an imperfect
        ("Ogni volta che compri, accumuli un timbro.", "lei"),  # "ogni volta che" + tu
        ("Ogni volta che acquista, accumula un timbro.", "tu"),
    ],
)
def test_clause_starts_after_commas_and_conjunctions_of_time(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text", ["Dai nostri forni escono mille pagnotte al giorno.", "Resta solo un giorno di saldi."]
)
def test_prepositions_and_intransitives_are_not_commands(text: str) -> None:
    assert not _flagged(text, LEI) and not _flagged(text, TU)


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        # compound tenses with every 3rd person of "avere", and with "essere" in a question
        ("Aveva già prenotato la revisione dell'auto?", "tu"),
        ("Qualora avesse già pagato, ignori questo messaggio.", "tu"),
        ("È rimasto soddisfatto del soggiorno?", "tu"),
        # "le" before a verb that takes no direct object: the reader
        ("L'ufficio tecnico le telefonerà entro sera.", "tu"),
        # a future after words that cannot be its subject
        ("Entro venerdì riceverà la conferma per posta.", "tu"),
        # "ha" and an article or a number: possession
        ("Sul conto ha ancora tre buoni da usare.", "tu"),
        # a question opening with a conditional, a 2nd person conditional anywhere
        ("Avrebbe tempo per una breve intervista?", "tu"),
        ("Sarebbe disponibile a provare il prototipo?", "tu"),
        ("Ameresti una vacanza senza pensieri?", "lei"),
        # unstressed pronouns between a conjunction and its verb, accents left out
        ("Se ce li porta entro sabato, li ripariamo gratis.", "tu"),
        ("Se ce li porti entro sabato, li ripariamo gratis.", "lei"),
        ("Perche non assaggi il nuovo pecorino?", "lei"),
        # a negated Lei command of any -are verb
        ("Non tardi a iscriversi, i posti sono pochi.", "tu"),
        # a command of the wider lexicon with its object after it
        ("Verifichi la password e riprovi.", "tu"),
        ("Invita un amico e ricevete entrambi un buono.", "lei"),
        ("E poi mandaci una foto del risultato!", "lei"),
    ],
)
def test_grammar_of_december_2026(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "Da lunedì la biblioteca apre anche la domenica.",  # an article opens the subject
        "Il bistrot sarà aperto a pranzo e a cena.",  # a noun after its preposition
        "Torna il mercato dei fiori, ogni sabato in piazza.",  # its subject follows
        "Quando torna disponibile la giacca blu, la mettiamo in vetrina.",
    ],
)
def test_third_persons_and_nouns_stay_quiet(text: str) -> None:
    assert not _flagged(text, TU) and not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        # an ambiguous form takes the register of the text's other sentences
        ("Il tuo ordine è in viaggio: trovi il tracciamento nella mail.", "tu"),
        ("Il Suo ordine è in viaggio: trova il tracciamento nella mail.", "lei"),
    ],
)
def test_ambiguous_forms_read_in_the_texts_register(text: str, voice: str) -> None:
    assert not _flagged(text, VOICES[voice])


def test_a_slip_inside_a_sentence_is_still_reported() -> None:
    # "Prenoti" reads as Lei or as a tu indicative; next to "tuo" in one sentence it is reported
    assert _flagged("Prenoti ora il tuo tavolo per sabato.", TU)


def test_no_address_rows_are_quiet() -> None:
    rows = [t for _, a, t in _rows() if a == "none"]
    assert len(rows) >= 50
    alarms = [t for t in rows if _flagged(t, TU) or _flagged(t, LEI)]
    assert len(alarms) / len(rows) <= 0.02, alarms


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ("Eccoti il buono da usare entro domenica.", "lei"),  # "ecco" with the reader's "ti"
        ("Come si trova con il nuovo materasso?", "tu"),  # a pronominal verb in a question
        ("Ce lo faccia sapere in un messaggio.", "tu"),  # a pronoun cluster opening a command
        ("La ringrazio per la pazienza.", "tu"),  # "La" before a 1st person singular
        ("Quest'anno si regali una crociera.", "tu"),  # after a time adverbial
        ("Se il forno non scalda, lo spenga e ci chiami.", "tu"),  # commands joined by "e"
        ("In caso di furto, blocca subito la carta.", "lei"),  # a verb outside the lexicon
        ("In caso di furto, blocchi subito la carta.", "tu"),
    ],
)
def test_grammar_of_december_2026_second_round(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "Chi completa la sfida dei 10.000 passi vince una maglia.",  # a number, not a sentence end
        "Alle 20:30, inizia la degustazione guidata.",  # its subject follows
        "In caso di pioggia, la festa si terrà al coperto.",
    ],
)
def test_numbers_and_subjects_after_the_verb_stay_quiet(text: str) -> None:
    assert not _flagged(text, TU) and not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ("Gradisce un tè? Glielo portiamo al tavolo.", "tu"),  # an "-isce" verb in a question
        ("È pronta per la nuova stagione?", "tu"),  # "essere", an adjective, a preposition
        ("Lo conosceva già il nostro olio?", "tu"),  # an imperfect after its pronoun
        ("Anche oggi può prenotare dall'app.", "tu"),  # a present modal after an adverb
        ("Dopo il pagamento, le verrà inviata la ricevuta.", "tu"),  # "le" before a passive
        ("Ecco cosa riceverà nella prima consegna.", "tu"),  # a future after "cosa"
    ],
)
def test_grammar_of_december_2026_third_round(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "È possibile prenotare anche per gruppi?",  # impersonal
        "È adatto ai bambini sopra i tre anni?",  # said of a thing
        "Ecco cosa cambierà con il nuovo regolamento.",  # "cosa" is the subject
        "Desidera un caffè? Glielo portiamo subito.",  # a question, not a command
    ],
)
def test_third_round_stays_quiet_on_things_and_questions(text: str) -> None:
    assert not _flagged(text, LEI)
    if text.startswith(("È possibile", "È adatto", "Ecco")):
        assert not _flagged(text, TU)


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        # a verb outside the lexicon opening a sentence, its object's article after it
        ("Prenoti la Sua visita e inserisca il codice fiscale.", "tu"),
        ("Digiti il PIN sul tastierino.", "tu"),
        ("Effettua il login con le tue credenziali.", "lei"),
        ("Usufruisca della garanzia estesa.", "tu"),  # an "-isc-" verb's Lei command
        ("Dammi un minuto e controllo.", "lei"),  # "da'" with a doubled pronoun
        ("Si è poi iscritto al corso serale?", "tu"),  # an adverb inside the compound tense
        ("Partecipi al sondaggio e vinca un buono.", "tu"),  # an "-ere" command after "e"
    ],
)
def test_grammar_of_december_2026_fourth_round(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "Roma il 12 maggio, Milano il 14: il tour riparte.",  # a date, not an object
        "Giulia le ha viste in vetrina.",  # a name, then a pronoun and its verb
        "Il negozio è aperto dalle 9 alle 19.",  # "dalle" is a preposition
    ],
)
def test_fourth_round_stays_quiet(text: str) -> None:
    assert not _flagged(text, TU) and not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ("Rilegga le condizioni prima di firmare.", "tu"),  # a prefixed verb of the lexicon
        ("Sottoscrivi l'abbonamento annuale.", "lei"),
        ("Ci scusi per il ritardo nella risposta.", "tu"),
        ("Mi conferma il numero dell'ordine?", "tu"),  # a question in the indicative
        ("Mi confermi il numero dell'ordine?", "lei"),
        ("È mai stato al nostro agriturismo?", "tu"),  # "stato" with a place, not a passive
    ],
)
def test_grammar_of_december_2026_fifth_round(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


def test_a_third_person_inside_a_sentence_that_uses_tu_is_not_a_slip() -> None:
    # "avrà" is the doctor's; a sentence-opening form next to "tuo" is still reported
    assert not _flagged("La dottoressa ti chiamerà quando avrà i risultati.", TU)
    assert _flagged("Prenoti ora il tuo posto in prima fila.", TU)


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ('Per uscire, clicchi su "Esci" in alto.', "tu"),  # a quoted label is not the reader
        ("Il negozio è chiuso, ma lei può ordinare online.", "tu"),
        ("Posso chiederle come ha saputo di noi?", "tu"),  # "ha" + participle after "come"
        ("Cerca un regalo per la mamma?", "tu"),  # a question asks in the indicative
        ("Cerchi un regalo per la mamma?", "lei"),
        ("Nell'app vedi lo storico dei pagamenti.", "lei"),
        ("Se non ricorda la password, reimposti l'accesso dal sito.", "tu"),  # a new -are verb
    ],
)
def test_grammar_of_december_2026_sixth_round(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "Il biglietto digitale vale per tutta la giornata.",  # not "digita" + "le"
        "Non occorre la prenotazione per i gruppi piccoli.",  # a 3rd person, not a command
        "Lo sapevamo già così? Ce lo dicono i clienti.",  # no walk back into the sentence before
    ],
)
def test_sixth_round_stays_quiet(text: str) -> None:
    assert not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "flagged_by"),
    [
        ("Che ne direbbe di una visita guidata?", "tu"),  # a conditional after question words
        ("È sempre il benvenuto, anche se non ha mai sciato.", "tu"),  # a clause of its own
        ("Ora che è abbonato, ha accesso a tutte le sale.", "tu"),  # "ha" and a bare noun
    ],
)
def test_grammar_of_december_2026_seventh_round(text: str, flagged_by: str) -> None:
    assert _flagged(text, VOICES[flagged_by])
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


def test_a_sentence_opening_la_or_le_with_an_ambiguous_verb_follows_the_text() -> None:
    # "Le trovi" is "you (Lei) find" or "you (tu) find them": the question before decides
    assert not _flagged("Hai letto le istruzioni? Le trovi nella scatola.", TU)
    assert not _flagged("Ha letto le istruzioni? Le trovi nella scatola.", LEI)
    assert not _flagged("Domani, ha inizio il corso di ceramica.", TU)  # its subject follows


@pytest.mark.parametrize(
    "text",
    [
        "Invece del solito menu, scelga la degustazione dello chef.",  # a prepositional opener
        "Per qualsiasi dubbio sul router, lo riavvii e attenda due minuti.",  # pronoun + new verb
    ],
)
def test_grammar_of_december_2026_eighth_round(text: str) -> None:
    assert _flagged(text, TU) and not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "found", "flagged_by"),
    [
        # "-gli-" verbs keep their "i" before "e": "sceglie", "raccoglierà"
        ("Se sceglie il menu completo, il dolce è incluso.", "sceglie", "tu"),
        ("Quando raccoglierà i punti, avrà un regalo.", "raccoglierà", "tu"),
        # a short infinitive after a negated command: ", non bere" (tu)
        ("Dopo la seduta, non bere alcolici.", "non bere", "lei"),
        ("Prima del prelievo, non fare colazione.", "non fare", "lei"),
        # an -ere/-ire command after a time adverbial, no subject: "Stasera venga" (Lei)
        ("Stasera venga a trovarci in cantina.", "venga", "tu"),
        # a command joined by "oppure"
        ("Trova gli orari sul sito, oppure chieda alla reception.", "chieda", "tu"),
    ],
)
def test_grammar_of_december_2026_tenth_round(text: str, found: str, flagged_by: str) -> None:
    findings = lint_voice(text, VOICES[flagged_by], "it-IT")
    assert found in [f.found for f in findings if f.rule is VoiceRule.REGISTER]
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        # the pronoun stands for the phrase after the comma: "la" is the magazine
        ("La trovi in edicola da giovedì, la nostra rivista.", "tu"),
        ("Le trovi in vetrina da sabato, le nuove scarpe.", "tu"),
        # a form that reads two ways opens a sentence whose joined clause is tu: tu too
        ("Trovi gli orari sul sito, oppure chiedi alla reception.", "tu"),
        ("Trova gli orari sul sito, oppure chieda alla reception.", "lei"),
        # a subjunctive in a subordinate clause, a subject before it
        ("Perché venga riparato in giornata, serve lo scontrino.", "tu"),
        ("Stasera Marco venga pure a cena con noi.", "tu"),
    ],
)
def test_tenth_round_stays_quiet(text: str, voice: str) -> None:
    assert not _flagged(text, VOICES[voice])


def test_a_sentence_opening_pronoun_without_a_phrase_for_it_is_still_read() -> None:
    assert _flagged("La trovi in edicola da giovedì.", TU)  # the reader, or "it": ambiguous
    assert _flagged("La aspettiamo in negozio, signora Rossi.", TU)


@pytest.mark.parametrize(
    ("text", "found", "flagged_by"),
    [
        # after "che" completing a verb of ours, no subject between
        ("Siamo certi che apprezzerà il nuovo menu.", "apprezzerà", "tu"),
        ("Speriamo che si sia trovato bene da noi.", "si sia", "tu"),
        # the Lei "non esiti a": a vowel before "-ti" is an -are verb's
        ("Non esiti a contattarci per qualsiasi dubbio.", "Non esiti", "tu"),
        # an absolute participle opens an introduction
        ("Terminato il trattamento, eviti il sole per due giorni.", "eviti", "tu"),
        ("Finito il trattamento, evita il sole per due giorni.", "evita", "lei"),
        # after a place, "trovare" says what is there, in the indicative
        ("In allegato, trova la fattura di marzo.", "trova", "tu"),
        ("In allegato, trovi la fattura di marzo.", "trovi", "lei"),
        # "ieri" cannot be a subject
        ("Ieri ha vinto il nostro concorso, complimenti!", "ha", "tu"),
    ],
)
def test_grammar_of_december_2026_eleventh_round(text: str, found: str, flagged_by: str) -> None:
    findings = lint_voice(text, VOICES[flagged_by], "it-IT")
    assert found in [f.found for f in findings if f.rule is VoiceRule.REGISTER]
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        ("A partire da lunedì, potrà ritirare i referti online.", "lei"),  # "i referti": a noun
        ("Speriamo che arriverà presto il pacco.", "tu"),  # its subject follows
        ("Speriamo che si sia trovato un accordo.", "tu"),  # impersonal, its subject follows
        ("Non riesci a trovarlo? Scrivici.", "tu"),  # an -ire verb's tu present
        ("Non smetti mai di stupirci!", "tu"),
    ],
)
def test_eleventh_round_stays_quiet(text: str, voice: str) -> None:
    assert not _flagged(text, VOICES[voice])


def test_twelfth_round() -> None:
    # "trovare" after a time, as after a place: the indicative
    assert _flagged("Ogni mattina, trova il pane fresco in vetrina.", TU)
    assert not _flagged("Ogni mattina, trova il pane fresco in vetrina.", LEI)
    assert _flagged("Ogni mattina, trovi il pane fresco in vetrina.", LEI)
    assert not _flagged("Ogni mattina, trovi il pane fresco in vetrina.", TU)
    # a name, its apposition between commas, then its verb: nobody addressed
    text = "Giulia, la nostra istruttrice, insegna yoga da dieci anni."
    assert not _flagged(text, TU) and not _flagged(text, LEI)
    # ... but a greeting before a clause still opens an introduction
    assert _flagged("Ciao, la tua camera è pronta, passa a ritirare le chiavi.", LEI)


@pytest.mark.parametrize(
    "text",
    [
        # an impersonal "si": anyone, not the reader
        "Quando si arriva in hotel, si viene accolti con un calice di prosecco.",
        "Se si prenota entro venerdì, si ottiene uno sconto del 10%.",
        "Per legge, si deve esporre il listino prezzi.",
        # an absolute participle opening a sentence is no command
        "Finita la stagione, l'hotel chiude fino a marzo.",
    ],
)
def test_an_impersonal_si_addresses_nobody(text: str) -> None:
    assert not _flagged(text, TU) and not _flagged(text, LEI)


def test_a_pronominal_verb_after_se_is_still_the_reader() -> None:
    assert _flagged("Quando si allena con noi, il primo mese è gratis.", TU)
    assert _flagged("Se si iscrive entro venerdì, riceve uno sconto.", TU)


@pytest.mark.parametrize(
    ("text", "found", "flagged_by"),
    [
        # an imperfect of any verb after a pronoun that is never an article: a verb, tu
        ("Ci mancavi! Bentornato in palestra.", "mancavi", "lei"),
        # a question opening with a verb whose object is a clause
        ("Ricordi quando abbiamo aperto nel 2010?", "Ricordi", "lei"),
        ("Ricorda quando abbiamo aperto nel 2010?", "Ricorda", "tu"),
        # a conditional opening a question, with its object
        ("Gradirebbe un tavolo vicino alla finestra?", "Gradirebbe", "tu"),
    ],
)
def test_grammar_of_december_2026_fourteenth_round(text: str, found: str, flagged_by: str) -> None:
    findings = lint_voice(text, VOICES[flagged_by], "it-IT")
    assert found in [f.found for f in findings if f.rule is VoiceRule.REGISTER]
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "Servirebbe un ombrello, domani?",  # its subject follows
        "Le chiavi sono alla reception.",  # "le chiavi": an article and a noun
        "Consigli che funzionano davvero?",  # a noun and its relative clause
    ],
)
def test_fourteenth_round_stays_quiet(text: str) -> None:
    assert not _flagged(text, TU) and not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "found", "flagged_by"),
    [
        # "Glielo" opening a sentence before a verb of ours: the reader's "gli"
        ("Glielo diciamo in anticipo: a Pasqua siamo aperti.", "Glielo diciamo", "tu"),
        # an -are verb outside the lexicon after a conjunction, with its object: indicative
        ("Ogni volta che effettua il check-in da noi, accumula punti.", "effettua", "tu"),
        # a verb joined by "e" to an -ere/-ire 3rd person is an indicative too
        ("Fino a domenica, paga due e prende tre su tutti i vini.", "paga", "tu"),
    ],
)
def test_grammar_of_december_2026_fifteenth_round(text: str, found: str, flagged_by: str) -> None:
    findings = lint_voice(text, VOICES[flagged_by], "it-IT")
    assert found in [f.found for f in findings if f.rule is VoiceRule.REGISTER]
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


@pytest.mark.parametrize(
    "text",
    [
        "Luca, il nostro enologo, ha selezionato le uve a mano.",  # its subject is named
        "Quando nevica, le lezioni all'aperto si spostano in palestra.",  # "le lezioni": a noun
    ],
)
def test_fifteenth_round_stays_quiet(text: str) -> None:
    assert not _flagged(text, TU) and not _flagged(text, LEI)


@pytest.mark.parametrize(
    ("text", "found", "flagged_by"),
    [
        # after an introduction naming a means or a span of time: the indicative
        ("Con la tessera del club, accumula punti a ogni acquisto.", "accumula", "tu"),
        ("Con la tessera del club, accumuli punti a ogni acquisto.", "accumuli", "lei"),
        ("Dal lunedì al venerdì, pranza con 10 euro nel bistrot.", "pranza", "tu"),
        # "fa'" with "ti" before its object at a clause start
        ("Dopo la corsa, fatti un piatto di pasta da noi.", "fatti", "lei"),
        # the lexicon: "diventare"
        ("Non è ancora socio? Lo diventi con 20 euro l'anno.", "Lo diventi", "tu"),
    ],
)
def test_grammar_of_december_2026_sixteenth_round(text: str, found: str, flagged_by: str) -> None:
    findings = lint_voice(text, VOICES[flagged_by], "it-IT")
    assert found in [f.found for f in findings if f.rule is VoiceRule.REGISTER]
    assert not _flagged(text, VOICES["tu" if flagged_by == "lei" else "lei"])


def test_an_article_a_noun_and_its_verb_are_not_a_pronoun_and_a_command() -> None:
    text = "Durante la visita in cantina, gli ospiti assaggiano cinque vini."
    assert not _flagged(text, TU) and not _flagged(text, LEI)
    assert _flagged("Per informazioni, ci chiami al numero verde.", TU)  # still read


def test_a_pair_of_pronouns_after_an_introduction() -> None:
    text = "Se è allergico a qualche ingrediente, ce lo comunichi prima di ordinare."
    assert "ce lo comunichi" in [
        f.found for f in lint_voice(text, TU, "it-IT") if f.rule is VoiceRule.REGISTER
    ]
    assert not _flagged(text, LEI)


def test_eighteenth_round() -> None:
    # "stare bene a": the dative "Le" is the reader's; a pronoun and a command after a comma
    findings = lint_voice("Le sta bene questo blu, mi creda.", TU, "it-IT")
    assert {"Le sta", "mi creda"} <= {f.found for f in findings}
    # "la" + a noun + "di": an article, not the reader
    text = "La visita di controllo è stata spostata per un guasto."
    assert not _flagged(text, TU) and not _flagged(text, LEI)
    assert _flagged("La aspetta una sorpresa in negozio.", TU)
