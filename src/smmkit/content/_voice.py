"""The brand-voice linter: banned and preferred terms, register, emoji, shouting, disclosure."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from enum import StrEnum
from itertools import accumulate, pairwise
from typing import NamedTuple

import regex
from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import EmojiPolicy, GrammaticalPerson, Register, ValueModel, VoiceProfile

from . import _textapi as tx
from . import _voice_grammar as G
from ._fold import find_disclosure, fold_with_map, term_pattern
from ._locale import normalise_locale

__all__ = ["VoiceFinding", "VoiceRule", "lint_voice"]


class VoiceRule(StrEnum):
    """What a voice finding is about."""

    BANNED_TERM = "banned_term"
    PREFERRED_TERM = "preferred_term"
    REGISTER = "register"
    EMOJI = "emoji"
    SHOUTING = "shouting"
    DISCLOSURE = "disclosure"


class VoiceFinding(ValueModel):
    """One departure from the brand's voice, where it is, and what to write instead.

    ``span`` is a code-point range of the linted text (``None`` for something missing, such as
    a disclosure); ``found`` is the text at that span.
    """

    rule: VoiceRule
    span: tuple[int, int] | None = None
    found: str = ""
    message: str
    suggestion: str | None = None
    severity: str = Field(default="error", pattern=r"^(error|warning)$")


# --------------------------------------------------------------------------------------------
# Italian register: "tu" (informal) against "Lei" (formal).
#
# A cue is a word (or two) that addresses the reader in one register. Some forms are cues only
# where they begin a sentence: the -are imperative "prenota" is also "he books" ("il forno
# prenota"), and the formal imperative "prenoti" is also "you book" ("se prenoti").

# tu form -> Lei form, for verbs used in calls to action. -are verbs: tu "-a", Lei "-i";
# -ere/-ire verbs: tu "-i", Lei "-a".
_ARE_VERBS = (
    "prenot",
    "pass",
    "assaggi",
    "ordin",
    "prov",
    "guard",
    "chiam",
    "lasci",
    "approfitt",
    "regal",
    "ritir",
    "port",
    "visit",
    "compr",
    "acquist",
    "aspett",
    "torn",
    "entr",
    "conserv",
    "riscald",
    "gust",
    "immagin",
    "ricord",
    "ascolt",
    "prepar",
    "festeggi",
    "salv",
    "controll",
    "contatt",
    "inizi",
    "cominci",
    "affrett",
    "ferm",
    "rilass",
    "fid",
    "sbrig",
    "ringrazi",
    "consigli",
    "accomod",
    "mangi",
    "assapor",
    "raccont",
    "gioc",
    "cucin",
    "sfogli",
    "registr",
    "utilizz",
    "invit",
    "osserv",
    "cerc",
    "clicc",
    "tagg",
    "scaric",
    "arriv",
    "trov",
    "pens",
    "commenta",
    "rest",
    *G.MORE_ARE_STEMS,
)
# Spelling of the formal form: "cerca" -> "cerchi", "mangia" -> "mangi".
_HARD = {v for v in _ARE_VERBS if v.endswith(("c", "g"))}
_TU_ARE = {v if v.endswith("a") else v + "a" for v in _ARE_VERBS}
_TU_TO_LEI = {
    (v if v.endswith("a") else v + "a"): (
        v + "hi" if v in _HARD else v if v.endswith("i") else v.rstrip("a") + "i"
    )
    for v in _ARE_VERBS
}
# Formal forms that are also common nouns at a sentence start ("Consigli", "Gusti") are left
# out; so are tu forms that are also nouns ("Nota").
_LEI_NOUN_LIKE = {"consigli", "gusti", "ricordi", "inizi", "pensi"}
_LEI_ARE = set(_TU_TO_LEI.values()) - _LEI_NOUN_LIKE
_LEI_TO_TU = {lei: tu for tu, lei in _TU_TO_LEI.items()}
# Intransitive verbs whose 3rd person starts many sentences: "Torna il panettone!".
_INTRANSITIVE = {"torna", "passa", "entra", "inizia", "comincia", "arriva", "resta"}
_ARTICLES = {
    "il",
    "lo",
    "la",
    "i",
    "gli",
    "le",
    "l",
    "un",
    "uno",
    "una",
    "del",
    "della",
    "dei",
    "delle",
    "anche",
    "finalmente",
    "oggi",
    "domani",
    "solo",
    "ancora",
    "poco",
    "pochi",
    "poche",
    "qualche",
}

# -ere/-ire verbs: tu imperative (also tu present), and the Lei imperative.
_ERE_IRE = {
    "scopri": "scopra",
    "vieni": "venga",
    "scegli": "scelga",
    "leggi": "legga",
    "scrivi": "scriva",
    "segui": "segua",
    "prendi": "prenda",
    "metti": "metta",
    "aggiungi": "aggiunga",
    "chiedi": "chieda",
    "corri": "corra",
    "condividi": "condivida",
    "apri": "apra",
    "offri": "offra",
    "rispondi": "risponda",
    "decidi": "decida",
    "ricevi": "riceva",
    "scendi": "scenda",
    "rendi": "renda",
    "accendi": "accenda",
    "raggiungi": "raggiunga",
    "dividi": "divida",
    "spendi": "spenda",
    "godi": "goda",
    "riscopri": "riscopra",
    "esci": "esca",
    "bevi": "beva",
    "rimani": "rimanga",
    "sorprendi": "sorprenda",
    "vinci": "vinca",
    "unisci": "unisca",
    "costruisci": "costruisca",
    "preferisci": "preferisca",
    "gestisci": "gestisca",
    "finisci": "finisca",
    **G.MORE_ERE_IRE_IMPERATIVES,
}
_LEI_ERE_IRE = {lei: tu for tu, lei in _ERE_IRE.items()}

# Unambiguous tu words (pronouns, possessives, irregular verbs) and their Lei counterparts.
_TU_WORDS = {
    "tu": "Lei",
    "te": "Lei",
    "ti": "La/Le",
    "tuo": "Suo",
    "tua": "Sua",
    "tuoi": "Suoi",
    "tue": "Sue",
    "hai": "ha",
    "puoi": "può",
    "vuoi": "vuole",
    "devi": "deve",
    "sai": "sa",
    "fai": "fa",
    "vai": "va",
    "stai": "sta",
    "dici": "dice",
    "conosci": "conosce",
    "capisci": "capisce",
    "senti": "sente",
    "potrai": "potrà",
    "vorrai": "vorrà",
    "avrai": "avrà",
    "sarai": "sarà",
    "troverai": "troverà",
    "riceverai": "riceverà",
    "scoprirai": "scoprirà",
    "potresti": "potrebbe",
    "vorresti": "vorrebbe",
    "dovresti": "dovrebbe",
    "sii": "sia",
    "abbi": "abbia",
    "dimmi": "mi dica",
    "dicci": "ci dica",
    "fallo": "lo faccia",
    "dillo": "lo dica",
    "fammi": "mi faccia",
    "facci": "ci faccia",
    "tieni": "tenga",
    "siediti": "si sieda",
}
_TU_REFLEXIVE = {
    "iscriviti": "si iscriva",
    "registrati": "si registri",
    "goditi": "si goda",
    "concediti": "si conceda",
    "regalati": "si regali",
    "fermati": "si fermi",
    "preparati": "si prepari",
    "affrettati": "si affretti",
    "rilassati": "si rilassi",
    "coccolati": "si coccoli",
    "lasciati": "si lasci",
    "fidati": "si fidi",
    "tuffati": "si tuffi",
    "mettiti": "si metta",
    "divertiti": "si diverta",
    "sbrigati": "si sbrighi",
    "accomodati": "si accomodi",
    "unisciti": "si unisca",
    "prenotati": "si prenoti",
    "informati": "si informi",
    "ricordati": "si ricordi",
    "abbonati": "si abboni",
    "allenati": "si alleni",
    "candidati": "si candidi",
    "organizzati": "si organizzi",
    "tieniti": "si tenga",
    "segnati": "si segni",
    "muoviti": "si muova",
    "prenditi": "si prenda",
    "permettiti": "si permetta",
    "immergiti": "si immerga",
    "collegati": "si colleghi",
    "sentiti": "si senta",
    "rivolgiti": "si rivolga",
    "affidati": "si affidi",
    "lanciati": "si lanci",
    "svegliati": "si svegli",
}
_LEI_REFLEXIVE = {lei: tu for tu, lei in _TU_REFLEXIVE.items()}
_CONJUNCTIONS = {
    "se", "quando", "appena", "mentre", "finché", "perché", "dove", "così",
    "perche", "finche",  # written without their accents
}  # fmt: skip
# Unstressed pronouns that stand between a conjunction and its verb: "se ce lo segnali".
# Words that open sentences before an article and are not commands.
_NOT_A_COMMAND = {
    "ecco", "eccola", "grazie", "ancora", "sempre", "domenica", "ovvero", "quindi", "infatti",
    "oggi", "domani", "stasera", "quest", "nessuna", "qualcuna", "ognuna",
}  # fmt: skip
# The irregular commands "da'", "fa'", "sta'", "va'", "di'" with a pronoun, its consonant
# doubled: tu.
_IRREGULAR_ENCLITIC = {
    "dacci", "dammi", "danne", "stammi", "stacci", "vacci",
    "vattene", "dimmelo", "dammelo", "daccelo", "fammelo", "faccelo", "fallo", "falla",
}  # fmt: skip
_ARTICULATED = {
    "al", "allo", "alla", "ai", "agli", "alle", "dal", "dallo", "dalla", "dai", "dagli",
    "dalle", "nel", "nello", "nella", "nei", "negli", "nelle", "sul", "sullo", "sulla", "sui",
    "sugli", "sulle",
}  # fmt: skip
_ARTICLE_WORDS = {"il", "lo", "la", "l", "i", "gli", "le", "un", "una", "uno"}
_PROCLITICS = {
    "mi", "ti", "ci", "vi", "si", "lo", "la", "li", "le", "ne", "gli",
    "me", "te", "ce", "ve", "glielo", "gliela", "glieli", "gliele", "gliene",
}  # fmt: skip
_PROCLITICS_OR_NON = _PROCLITICS | {"non"}
# Pronouns that are never articles, and "non": a verb follows them, never a noun.
_NOT_BEFORE_A_NOUN = {"mi", "ti", "ci", "vi", "ne", "si", "non"}
# What may follow a command that opens a sentence: its object's determiner or an adverb
# ("Mostri questo post", "Invia il modulo"), where a noun would take an adjective or "di".
_OBJECT_STARTS = {
    "il", "lo", "la", "l", "i", "gli", "le", "un", "una", "uno", "questo", "questa", "questi",
    "queste", "quel", "quella", "quei", "quelle", "subito", "pure", "ora", "adesso", "qui",
    "tutto", "tutti", "tutte", "ogni",
}  # fmt: skip
# Words after which a word is a noun or an adjective, not a verb with an enclitic pronoun.
_NOUN_BEFORE = {
    "il", "lo", "la", "i", "gli", "le", "un", "una", "uno", "l",
    "del", "della", "dei", "delle", "degli", "al", "alla", "ai", "alle", "agli",
    "nel", "nella", "nei", "nelle", "sul", "sulla", "sui", "sulle",
    "mio", "mia", "miei", "mie", "tuo", "tua", "tuoi", "tue", "suo", "sua", "suoi", "sue",
    "nostro", "nostra", "nostri", "nostre", "vostro", "vostra", "vostri", "vostre",
    "questi", "queste", "quei", "quelle", "alcuni", "alcune", "tanti", "tante", "molti", "molte",
}  # fmt: skip
_THANKS_BETWEEN = {
    "per", "a", "al", "alla", "allo", "ai", "alle", "di", "del", "della", "dei", "delle",
    "il", "la", "l", "i", "le", "lo", "gli", "mille", "tante", "infinite", "ancora", "davvero",
}  # fmt: skip
# "che" after these is a conjunction of time: "ogni volta che compri", "dopo che ha ordinato".
_BEFORE_CHE_CONJUNCTION = {"volta", "volte", "dopo", "prima", "finché", "appena"}
_LEI_START_ADVERBS = {
    "solo", "soltanto", "semplicemente", "già", "anche", "ancora", "sempre", "subito", "ora",
    "comodamente", "direttamente", "facilmente", "tranquillamente", "finalmente", "pure",
}  # fmt: skip
_CLITICS = ("lo", "la", "li", "le", "ci", "ne", "mi", "gli", "glielo", "gliela", "celo")
_RTI_EXCEPTIONS = {
    "quarti",
    "scarti",
    "reparti",
    "smarti",
    "aperti",
    "esperti",
    "offerti",
    "coperti",
    "scoperti",
    "concerti",
    "deserti",
    "inserti",
    "certi",
    "incerti",
    "sofferti",
    "conserti",
    "inerti",
    "allerti",
    "sparti",
    "riaperti",
    "parti",
    "arti",
    "mirti",
    "sorti",
}
# Third-person verbs that address the reader as Lei when they open a sentence and an
# infinitive follows ("Può prenotare..."); elsewhere they are about someone else.
_LEI_VERBS_START = {
    "può": "puoi",
    "puo": "puoi",
    "potra": "potrai",
    "dovrà": "dovrai",
    "dovra": "dovrai",
    "vorra": "vorrai",
    "vuole": "vuoi",
    "desidera": "desideri",
    "potrà": "potrai",
    "preferisce": "preferisci",
    "deve": "devi",
    "vorrà": "vorrai",
}
_LEI_CAPITALS = {
    "Lei": "tu",
    "Suo": "tuo",
    "Sua": "tua",
    "Suoi": "tuoi",
    "Sue": "tue",
    "La": "ti",
    "Le": "ti",
}
# "sei" is also the number six ("sei ore di lievitazione"): a verb only in these company.
_SEI_BEFORE = {"tu", "non", "ci", "se", "già", "quando", "come", "dove", "perché", "che"}
_SEI_AFTER = {
    "il",
    "la",
    "lo",
    "l",
    "un",
    "una",
    "uno",
    "già",
    "proprio",
    "pronto",
    "pronta",
    "davvero",
    "sempre",
    "mai",
    "stato",
    "stata",
    "invitato",
    "invitata",
    "in",
    "a",
    "di",
    "tu",
    "anche",
    "ancora",
    "qui",
    "libero",
    "libera",
    "curioso",
    "curiosa",
    "goloso",
    "golosa",
    "fan",
    "nel",
    "nella",
    "dei",
    "tra",
    "con",
}
_FORMULAS = (
    ("gentile cliente", "ciao"),
    ("gentili clienti", "ciao a tutti"),
    ("egregio", "ciao"),
    ("cordiali saluti", "a presto"),
    ("distinti saluti", "a presto"),
    ("la preghiamo", "ti chiediamo"),
    ("la invitiamo", "ti invitiamo"),
    ("la ringraziamo", "grazie"),
    ("le ricordiamo", "ti ricordiamo"),
    ("gentile signora", "ciao"),
    ("gentile signor", "ciao"),
    ("gentile signore", "ciao"),
    ("gentile dottore", "ciao"),
    ("gentile dottoressa", "ciao"),
)

# Determiners that agree with an object pronoun: a noun phrase it may stand for.
_AGREEING_DETERMINERS = {
    "la": {"la", "una", "questa", "quella", "nostra", "vostra"},
    "le": {"le", "queste", "quelle", "nostre", "vostre"},
}
_FORMULA_PATTERNS = tuple(
    (re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)"), tu_phrase)
    for phrase, tu_phrase in _FORMULAS
)


class _Folded:
    """A text folded (accents and case) with its map back, made once when first asked."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._folded: tuple[str, list[int]] | None = None

    def get(self) -> tuple[str, list[int]]:
        if self._folded is None:
            self._folded = fold_with_map(self._text)
        return self._folded


_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’](?=[\p{L}]))?")
# A dot or colon between digits ("10.000 passi", "alle 20:30") ends no sentence.
_SENTENCE_BREAK = re.compile(r"(?:[!?…;\n]|[.:](?!\d)|(?<!\d)[.:])+")
_IT_1PL = regex.compile(r"^\p{L}+(?:iamo|remo|emmo)$")
_INFINITIVE = regex.compile(
    r"^\p{L}+(?:(?:are|ere|ire|rre)|(?:ar|er|ir|rr)(?:lo|la|li|le|ne|ci|mi|si|gli|glie(?:lo|la|li|ne)))$"
)


class _Cue(NamedTuple):
    """A word (or two) that addresses the reader in one register.

    ``weak``: the form also reads as another person ("trovi" is a Lei command and a tu
    indicative, "trova" a tu command and a third person, "ha ricevuto" the reader or someone
    else); a text that addresses its reader unambiguously in the other register reads it so.
    """

    start: int
    end: int
    word: str
    person: GrammaticalPerson
    suggestion: str | None
    weak: bool = False


# A greeting ("Gentile cliente,"), tried where a sentence starts, after blanks other than line
# breaks: a line break starts a sentence of its own, so each run of blanks is read once
# (searching with "\s*" from every break rescans the blank lines after it: quadratic).
_GREETING_AT = re.compile(
    r"[^\S\n]*(?:gentil[ei]|car[aoie]|ciao|buongiorno|buonasera|salve|egregi[oa]|spettabile)\b"
    r"[^.!?…:;\n,]*,",
    re.IGNORECASE,
)


def _sentence_starts(text: str) -> set[int]:
    """Where sentences start; a greeting ("Gentile cliente,") counts as a sentence of its own."""
    starts = {0}
    for m in _SENTENCE_BREAK.finditer(text):
        starts.add(m.end())
    # A greeting follows the start of the text or a sentence break, after blanks: trying it at
    # the end of each run of break characters finds what _GREETING finds.
    for start in sorted(starts):
        greeting = _GREETING_AT.match(text, start)
        if greeting is not None:
            starts.add(greeting.end())
    return starts


class _Spans:
    """Disjoint-or-not spans, asked "does one hold this position / overlap this range?" in
    logarithmic time (a scan of every span per question is quadratic on hostile text)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(accumulate((e for _, e in ordered), max))  # furthest end so far

    def holds(self, position: int) -> bool:
        """Whether some span has ``start <= position < end``."""
        k = bisect_right(self.starts, position)
        return k > 0 and self.reach[k - 1] > position

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span has ``span_start < end and start < span_end``."""
        k = bisect_left(self.starts, end)
        return k > 0 and self.reach[k - 1] > start


# A cheap prefilter, read once per distinct word of a text: most words can start no cue, and
# some only where they open a sentence. Each set below holds the words that the rules of
# _italian_cues test for (``tests/content/test_content_voice_fast.py`` checks that the
# findings are the same with and without the prefilter).
_NO_CUE, _CUE_IF_FIRST, _CUE_ANYWHERE = 0, 1, 2
_CUE_WORDS_ANYWHERE = frozenset(
    {"sei", "eccoti", "eccoteli", "eccotelo", "eccotela", "eccotele", "eccola", "eccole", "fatti"}
    | set(_TU_WORDS)
    | set(G.FORMS.tu_imperfect)
    | set(_TU_REFLEXIVE)
    | set(_ERE_IRE)
    | _LEI_ARE
    | set(G.FORMS.lei_subjunctive)
    | _IRREGULAR_ENCLITIC
    | {w.lower() for w in _LEI_CAPITALS}
)
_CUE_ENDINGS_ANYWHERE = (
    *_CLITICS,
    "arti",
    "erti",
    "irti",
    "isca",
    "eresti",
    "iresti",
    "avi",
    "evi",
    "ivi",
)
_CUE_WORDS_IF_FIRST = frozenset(
    {"dai", "non", "si", "sta", "ce", "me", "ci", "lo", "la", "li", "le", "ne"}
    | {"glielo", "gliela", "glieli", "gliele"}
    | _TU_ARE
    | set(G.FORMS.tu_imperative_are)
    | set(G.FORMS.lei_present)
    | set(_LEI_ERE_IRE)
    | _LEI_NOUN_LIKE
    | set(_LEI_VERBS_START)
)
# Words this long may be a command outside the lexicon where a sentence opens.
_CUE_LENGTH_IF_FIRST = 6


def _cue_class(raw: str) -> int:
    """Where the word ``raw`` (as matched, maybe elided) may start a cue of _italian_cues."""
    word = raw.rstrip("'’")
    low = word.lower()
    if word != raw:  # elided: only "t'" is a cue
        return _CUE_ANYWHERE if low == "t" else _NO_CUE
    if (
        low in _CUE_WORDS_ANYWHERE
        or low.endswith(_CUE_ENDINGS_ANYWHERE)
        or G.is_second_conditional(low)
    ):
        return _CUE_ANYWHERE
    if low in _CUE_WORDS_IF_FIRST or len(low) >= _CUE_LENGTH_IF_FIRST:
        return _CUE_IF_FIRST
    return _NO_CUE


def _italian_cues(
    text: str, *, prefilter: bool = True, folded: _Folded | None = None
) -> list[_Cue]:
    """The cues of ``text``; ``prefilter=False`` tries every rule on every word (for tests).
    ``folded``: the text's folding, if the caller has it."""
    tu, lei = GrammaticalPerson.TU, GrammaticalPerson.LEI
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    breaks = sorted(_sentence_starts(text))
    # A sentence's first word: the first to start at or after a sentence start.
    word_starts = [start for start, _, _ in words]
    initial = {i for b in breaks if (i := bisect_left(word_starts, b)) < len(words)}
    question_end = {m.start() for m in re.finditer(r"\?", text)}
    cues: list[_Cue] = []

    # Whether a comma stands between word i - 1 and word i (each gap read once).
    commas = [False] + ["," in text[a[1] : b[0]] for a, b in pairwise(words)]

    def comma_before(index: int) -> bool:
        return commas[index]

    def sentence_is_question(index: int) -> bool:
        after = words[index][1]
        nxt = _SENTENCE_BREAK.search(text, after)
        return nxt is not None and nxt.start() in question_end

    def dislocated(index: int, pronoun: str) -> bool:
        """Whether the sentence of word ``index`` (its first) ends with ", " and a noun phrase
        that the object pronoun ``pronoun`` stands for: "La trovi in edicola, la nostra
        rivista" (agreeing: "la" with "la", "una", "questa"; "le" with "le", "queste")."""
        after = words[index][1]
        stop = _SENTENCE_BREAK.search(text, after)
        comma = text.rfind(",", after, stop.start() if stop else len(text))
        if comma < 0:
            return False
        k = bisect_left(word_starts, comma)
        return k < len(words) and words[k][2].lower() in _AGREEING_DETERMINERS[pronoun]

    classes: dict[str, int] = {}
    dislocated_at: set[int] = set()  # sentence-opening pronouns that a final phrase stands for
    for i, (start, end, raw) in enumerate(words):
        first = i in initial
        kind = classes.get(raw)
        if kind is None:
            kind = classes[raw] = _cue_class(raw) if prefilter else _CUE_ANYWHERE
        if kind == _NO_CUE or (kind == _CUE_IF_FIRST and not first):
            continue
        word = raw.rstrip("'’")
        elided = raw != word
        low = word.lower()
        nxt = words[i + 1][2].lower() if i + 1 < len(words) else ""
        if first and low in _AGREEING_DETERMINERS and nxt in _LEI_ARE and dislocated(i, low):
            dislocated_at.add(i)  # "La trovi in edicola, la nostra rivista": the magazine
            continue
        if elided and low == "t":
            cues.append(_Cue(start, end, raw, tu, "L'"))
            continue
        if elided:
            continue
        # --- tu cues
        if low == "sei":
            before = words[i - 1][2].lower() if i else ""
            if before in _SEI_BEFORE or nxt in _SEI_AFTER:
                cues.append(_Cue(start, end, raw, tu, "è"))
            continue
        if low in _TU_WORDS:
            cues.append(_Cue(start, end, raw, tu, _TU_WORDS[low]))
            continue
        if low in {"eccoti", "eccoteli", "eccotelo", "eccotela", "eccotele"}:
            cues.append(_Cue(start, end, raw, tu, "ecco"))  # "ecco" with the reader's "ti"
            continue
        if word in {"eccoLa", "eccoLe"}:
            cues.append(_Cue(start, end, raw, lei, "eccoti"))
            continue
        if G.is_second_conditional(low):
            cues.append(_Cue(start, end, raw, tu, low[:-4] + "ebbe"))  # "avresti", "ameresti"
            continue
        if low in G.FORMS.tu_imperfect:
            cues.append(_Cue(start, end, raw, tu, G.FORMS.tu_imperfect[low]))  # "Lo sapevi?"
            continue
        if (
            low.endswith(("avi", "evi", "ivi"))
            and len(low) >= 6
            and i
            and words[i - 1][2].lower() in _NOT_BEFORE_A_NOUN
            and low not in G.FORMS.lei_subjunctive
            and low not in _LEI_ARE
        ):  # an imperfect of any verb after its pronoun: "Ci mancavi!" (a noun takes none)
            cues.append(_Cue(start, end, raw, tu, low[:-1] + "a"))
            continue
        if low in _TU_REFLEXIVE:
            cues.append(_Cue(start, end, raw, tu, _TU_REFLEXIVE[low]))
            continue
        if low in _ERE_IRE:
            cues.append(_Cue(start, end, raw, tu, _ERE_IRE[low]))
            continue
        before = words[i - 1][2].lower() if i else ""
        # (read only for a word that may end in a pronoun: most words do not)
        clause_start = low.endswith(_CLITICS) and (
            first or before in {"e", "o", "poi"} or comma_before(i)
        )
        clitic = (
            next(
                (
                    c
                    for c in _CLITICS
                    if low.endswith(c)
                    and (
                        low[: -len(c)] in _TU_ARE
                        or low[: -len(c)] in _ERE_IRE
                        # the wider lexicon, where a command can start: "e mandaci le foto"
                        or (clause_start and low[: -len(c)] in G.FORMS.tu_imperative_are)
                    )
                ),
                None,
            )
            if low.endswith(_CLITICS)  # one test first: most words end in no clitic
            else None
        )
        if clitic is not None and (before in _NOUN_BEFORE or not clause_start):
            clitic = None  # "le Sue iniziali", "il biglietto digitale": not "inizia" + "li"
        if clitic is not None and len(low) > len(clitic) + 2:
            base = low[: -len(clitic)]
            lei_base = _lei_imperative(base)
            cues.append(_Cue(start, end, raw, tu, f"{clitic} {lei_base}" if lei_base else None))
            continue
        if (
            low.endswith(("arti", "erti", "irti"))
            and len(low) >= 6
            and low not in _RTI_EXCEPTIONS
            and word == low
            and (not i or words[i - 1][2].lower() not in _NOUN_BEFORE)  # "i referti": a noun
        ):
            cues.append(_Cue(start, end, raw, tu, low[:-2] + "La"))
            continue
        proper_next = i + 1 < len(words) and words[i + 1][2][:1].isupper()
        before = words[i - 1][2].lower() if i else ""
        k = i - 1  # back over "non" and unstressed pronouns: "se ce lo segnali", "perché non provi"
        while (
            k >= 0
            and i - k <= 3
            and words[k][2].lower() in _PROCLITICS_OR_NON
            and k not in initial  # not back into the sentence before
        ):
            k -= 1
        before_verb = words[k][2].lower() if k >= 0 and k < i - 1 else before
        if k + 1 in initial and k < i - 1:
            before_verb = ""
        before_conjunction = before_verb in _CONJUNCTIONS or (
            before_verb == "che" and k > 0 and words[k - 1][2].lower() in _BEFORE_CHE_CONJUNCTION
        )
        if before_conjunction and (
            low in _LEI_ARE or G.FORMS.lei_subjunctive.get(low, "") in G.FORMS.tu_imperative_are
        ):
            tu_form = _LEI_TO_TU.get(low) or G.FORMS.lei_subjunctive[low]
            cues.append(_Cue(start, end, raw, tu, tu_form))  # "se passi", "se ce lo segnali"
            continue
        if (
            first
            and low in _TU_ARE
            and not sentence_is_question(i)
            and not proper_next
            and not (low in _INTRANSITIVE and nxt.rstrip("'’") in _ARTICLES)
        ):
            cues.append(_Cue(start, end, raw, tu, _lei_imperative(low), weak=True))
            continue
        if (
            first
            and low in G.FORMS.tu_imperative_are
            and nxt.rstrip("'’") in _OBJECT_STARTS
            and low not in G.FORMS.intransitive  # "Torna il pane ai cereali"
            and not sentence_is_question(i)  # "Desidera un aiuto?"
        ):
            cues.append(_Cue(start, end, raw, tu, G.FORMS.tu_imperative_are[low], weak=True))
            continue  # a command of the wider lexicon, its object after it: "Invia il modulo"
        unprefixed = _unprefixed(low) if first and len(low) >= 7 else None
        if unprefixed is not None and unprefixed in _ERE_IRE:
            cues.append(_Cue(start, end, raw, tu, low[: -len(unprefixed)] + _ERE_IRE[unprefixed]))
            continue  # "Rileggi", "Sottoscrivi": a prefixed verb of the lexicon
        if unprefixed is not None and unprefixed in _LEI_ERE_IRE:
            cues.append(
                _Cue(start, end, raw, lei, low[: -len(unprefixed)] + _LEI_ERE_IRE[unprefixed])
            )
            continue  # "Rilegga", "Sottoscriva"
        if (
            first
            and word == raw
            and len(low) >= 6
            and low not in G.NOT_SUBJECTS
            and low not in G.INTRODUCERS
            and low not in G.NOT_VERBS_BEFORE_AN_ARTICLE
            and low not in _NOT_A_COMMAND
            and nxt.rstrip("'’") in _ARTICLE_WORDS
            and i + 2 < len(words)
            and not any(ch.isdigit() for ch in text[words[i + 1][1] : words[i + 2][0]])
            and not commas[i + 1]  # a command and its object: "Giulia, la nostra" is a name
            and not G.is_participle_any(low)  # "Finita la stagione": an absolute participle
            and not G.is_finite(words[i + 2][2].lower())  # "Giulia le ha viste": a pronoun
            and not low.endswith(("ati", "era", "ira"))  # "Gustati", "Ricevera" (a future)
            and low not in G.FORMS.lei_future
            and not sentence_is_question(i)
        ):
            # A verb outside the lexicon opening a sentence, its object's article after it:
            # new verbs are -are verbs, so "-a" is a tu command ("Effettua il pagamento"),
            # "-i" a Lei one ("Digiti il codice"), unless a known -ere/-ire form.
            if low.endswith("a") and low not in G.FORMS.lei_subjunctive and low not in _LEI_ERE_IRE:
                cues.append(_Cue(start, end, raw, tu, G.soft(low[:-1], "i") + "i", weak=True))
                continue
            if (
                low.endswith("i")
                and low not in _ERE_IRE
                and low not in G.FORMS.lei_present.values()
                and low not in G.FORMS.tu_imperfect
            ):
                cues.append(_Cue(start, end, raw, lei, low[:-1] + "a", weak=True))
                continue
        if (
            (first or before in {"e", "o", "poi"})
            and low.endswith("isca")
            and len(low) > 6
            and low not in G.FORMS.lei_subjunctive
        ):  # an "-isc-" verb's Lei command: "Usufruisca dello sconto"
            cues.append(_Cue(start, end, raw, lei, low[:-1] + "i"))
            continue
        if low in _IRREGULAR_ENCLITIC or (
            low == "fatti"
            and i + 1 < len(words)
            and (_INFINITIVE.match(nxt) or (nxt in _OBJECT_STARTS and (first or commas[i])))
        ):  # "dacci", "dammi", "fatti coccolare": "da'", "fa'" with a doubled pronoun
            cues.append(_Cue(start, end, raw, tu, None))
            continue
        if (
            first
            and (
                nxt.rstrip("'’") in _OBJECT_STARTS
                # a clause as its object: "Ricordi quando...?" ("Ricordi che" may be a noun's)
                or nxt in {"quando", "come", "dove", "se"}
                or (nxt == "che" and low not in _LEI_NOUN_LIKE)
            )
            and low not in G.FORMS.intransitive
            and sentence_is_question(i)
        ):
            # A question opening with a verb and its object asks in the indicative: "Cerca
            # una babysitter?" (Lei), "Cerchi una babysitter?" (tu)
            if low in G.FORMS.lei_present and low not in G.LEI_PRESENT_MODALS:
                cues.append(_Cue(start, end, raw, lei, G.FORMS.lei_present[low], weak=True))
                continue
            if G.FORMS.lei_subjunctive.get(low, "") in G.FORMS.tu_imperative_are:
                cues.append(_Cue(start, end, raw, tu, G.FORMS.lei_subjunctive[low], weak=True))
                continue
        if first and low == "dai" and nxt.rstrip("'’") in {"un", "una", "uno"}:
            cues.append(_Cue(start, end, raw, tu, "dia"))  # "Dai un'occhiata", not "dai forni"
            continue
        if (
            first
            and low == "non"
            and _INFINITIVE.match(nxt)
            and nxt not in {"essere"}
            and not nxt.endswith("corre")  # "Non occorre": a 3rd person
        ):
            _, e2, w2 = words[i + 1]
            cues.append(_Cue(start, e2, text[start:e2], tu, f"non {w2[:-2]}…"))
            continue
        # --- Lei cues
        if word in _LEI_CAPITALS and word != "Lo":
            if (
                word in {"La", "Le"}
                and first
                and not _IT_1PL.match(nxt)
                and nxt not in _LEI_ARE
                and nxt not in _LEI_ERE_IRE
                and not (nxt in G.FORMS.finite and nxt.endswith("o"))  # "La ringrazio"
            ):
                continue  # an article at the start of a sentence ("La torta")
            after_verb = words[i + 2][2].lower() if i + 2 < len(words) else ""
            if word == "Le" and nxt in G.AVERE and after_verb.endswith(("ate", "ute", "ite")):
                continue  # "Le abbiamo sfornate": the participle agrees, "le" is "them"
            if word in {"Suo", "Sua", "Suoi", "Sue"} and first:
                continue  # "Sua madre": a third person at a sentence start
            if (
                word == "Lei"
                and first
                and nxt in {"è", "era", "sarà", "si"}
                and (i + 2 < len(words) and words[i + 2][2][:1].isupper())
            ):
                continue  # "Lei è Lucia": she, introduced by name
            # "La trovi", "Le trovi" opening a sentence: the reader (Lei) or "them" with a tu
            # indicative; the text's other sentences decide
            ambiguous = word in {"La", "Le"} and first and nxt in _LEI_ARE
            cues.append(_Cue(start, end, raw, lei, _LEI_CAPITALS[word], ambiguous))
            continue
        if word.endswith(("La", "Le")) and regex.match(r"^\p{Ll}+(?:ar|er|ir|r)L[ae]$", word):
            cues.append(_Cue(start, end, raw, lei, word[:-2] + "ti"))
            continue
        if first and low in _LEI_ERE_IRE:
            cues.append(_Cue(start, end, raw, lei, _LEI_ERE_IRE[low]))
            continue
        if first and low in _LEI_ARE and not sentence_is_question(i) and not proper_next:
            cues.append(_Cue(start, end, raw, lei, _LEI_TO_TU.get(low), weak=True))
            continue
        if (
            first
            and G.FORMS.lei_subjunctive.get(low, "") in G.FORMS.tu_imperative_are
            and (nxt.rstrip("'’") in _OBJECT_STARTS or nxt.rstrip("'’") in _ARTICULATED)
            and not sentence_is_question(i)
        ):  # the wider lexicon, with its object after it: "Mostri questo post"
            cues.append(_Cue(start, end, raw, lei, G.FORMS.lei_subjunctive[low], weak=True))
            continue
        if (
            first
            and low in _LEI_NOUN_LIKE
            and nxt in {"di", "a"}
            and i + 2 < len(words)
            and _INFINITIVE.match(words[i + 2][2].lower())
        ):
            cues.append(_Cue(start, end, raw, lei, _LEI_TO_TU.get(low), weak=True))  # "Ricordi di"
            continue
        if first and low == "si" and f"si {nxt}" in _LEI_REFLEXIVE:
            _, e2, _ = words[i + 1]
            cues.append(_Cue(start, e2, text[start:e2], lei, _LEI_REFLEXIVE[f"si {nxt}"]))
            continue
        if (
            first
            and low in {"ce", "me", "glielo", "gliela", "glieli", "gliele"}
            and i + 2 < len(words)
            and nxt in {"lo", "la", "li", "le", "ne"}
            and (
                words[i + 2][2].lower() in _LEI_ARE
                or words[i + 2][2].lower() in _LEI_ERE_IRE
                or words[i + 2][2].lower() in G.FORMS.lei_subjunctive
            )
        ):
            _, e3, w3 = words[i + 2]
            weak = w3.lower().endswith("i")  # "Ce lo racconti" is also "you tell us"
            cues.append(_Cue(start, e3, text[start:e3], lei, None, weak))
            continue
        if (
            first
            and low in {"si", "ci", "lo", "la", "li", "le", "ne"}
            and (
                nxt in _LEI_ARE
                or nxt in _LEI_ERE_IRE
                or G.FORMS.lei_subjunctive.get(nxt, "") in G.FORMS.tu_imperative_are
            )
            and not sentence_is_question(i)
        ):
            _, e2, _ = words[i + 1]
            tu_form = _LEI_ERE_IRE.get(nxt) or _LEI_TO_TU.get(nxt) or G.FORMS.lei_subjunctive[nxt]
            suggestion = tu_form + ("ti" if low == "si" else low)
            weak = nxt not in _LEI_ERE_IRE  # "Ci chiami" is also "you call us"
            cues.append(_Cue(start, e2, text[start:e2], lei, suggestion, weak))
            continue
        if first and low in _LEI_VERBS_START:
            k = i + 1
            while k < len(words) and words[k][2].lower() in _LEI_START_ADVERBS:
                k += 1  # "Deve solo confermare"
            verb = words[k][2].lower() if k < len(words) else ""
            if _INFINITIVE.match(verb) and verb != "essere":
                cues.append(_Cue(start, end, raw, lei, _LEI_VERBS_START[low], weak=True))
                continue
        # "Sta per ricevere...", "Sta cercando...?": the reader, unless what is about to happen
        # is the subject ("Sta per iniziare la diretta", "Sta arrivando il Natale").
        if first and low == "sta" and i + 1 < len(words):
            k = i + 2 if nxt == "per" else i + 1
            verb = words[k][2].lower() if k < len(words) else ""
            periphrasis = (nxt == "per" and _INFINITIVE.match(verb)) or (
                nxt == verb and verb.endswith(("ando", "endo")) and len(verb) > 5
            )
            if periphrasis and not verb.startswith(G.HAPPENING):
                cues.append(_Cue(start, end, raw, lei, "stai", weak=True))
                continue
    cues += _grammar_cues(
        text,
        words,
        initial,
        commas,
        cues,
        sentence_is_question,
        prefilter=prefilter,
        skip=dislocated_at,
    )
    # formulas (greetings and set phrases)
    folded_text, index = (folded or _Folded(text)).get()
    word_cues = _Spans((c.start, c.end) for c in cues)
    for pattern, tu_phrase in _FORMULA_PATTERNS:
        for m in pattern.finditer(folded_text):
            s, e = index[m.start()], index[m.end()]
            if not word_cues.holds(s):
                cues.append(_Cue(s, e, text[s:e], lei, tu_phrase))
    quoted = _Spans((m.start(), m.end()) for m in _QUOTED.finditer(text))
    cues = [c for c in cues if not quoted.holds(c.start)]
    # A form that reads two ways ("trovi": a Lei command or a tu indicative) takes the reading
    # of a text that addresses its reader unambiguously in one register only, in its other
    # sentences ("Il tuo volo è cambiato: trovi il nuovo orario"); within one sentence the
    # two are a slip to report ("Prenoti ora il tuo panettone").
    sure = {c.person for c in cues if not c.weak}
    if len(sure) == 1:
        (register,) = sure

        def joined_clause(c: _Cue) -> bool:
            """A cue opening a clause joined by ", oppure", ", e": a clause of its own, which
            does not make its sentence's opening form a slip ("Trovi tutte le info sul sito,
            oppure chiedi qui sotto": "trovi" is tu too)."""
            k = bisect_left(word_starts, c.start)
            return k >= 1 and words[k - 1][2].lower() in _AND_OR and commas[k - 1]

        mixed_in = {
            bisect_right(breaks, c.start) for c in cues if not c.weak and not joined_clause(c)
        }
        opening = {words[i][0] for i in initial}
        cues = [
            c
            for c in cues
            if not c.weak
            or c.person is register
            # a slip opens its sentence ("Prenoti ora il tuo panettone"); inside one that
            # addresses the reader unambiguously, a form is read in its register ("Il medico
            # ti richiamerà appena avrà letto": the doctor)
            or (bisect_right(breaks, c.start) in mixed_in and c.start in opening)
        ]
    cues.sort(key=lambda c: c.start)
    return cues


# The tu present of -ere/-ire verbs of the lexicon ("vedi", "ricevi"), with the Lei form.
_TU_PRESENT_ERE_IRE = {
    tu_form: third
    for third, tu_form in G.FORMS.lei_present.items()
    if tu_form.endswith("i") and tu_form not in G.FORMS.lei_subjunctive
}


# The words at which a rule of _grammar_cues (before its clause-start rules) may start, read
# once per distinct word of a text.
_GRAMMAR_WORDS = frozenset(
    {"sei", "la", "le", "si", "lei", "non", "è", "era", "qualunque", "qualsiasi", "ovunque"}
    | {"glielo", "gliela", "glieli", "gliele", "gliene"}
    | {"potrà", "vorrà", "dovrà", "vorrebbe", "potrebbe", "desidererebbe", "avrebbe", "dovrebbe"}
    | G.POSSESSIVES_LEI
    | set(G.AVERE_THIRD)
    | set(G.LEI_PRESENT_MODALS)
    | set(G.ESSERE_THIRD)
    | set(G.FORMS.lei_imperfect)
    | G.TITLES
    | set(G.FORMS.lei_present)
    | _LEI_ARE
    | set(G.FORMS.lei_subjunctive)
    | set(_TU_PRESENT_ERE_IRE)
    | set(G.FORMS.lei_future)
    | set(_LEI_ERE_IRE)
)


# Words after which a subjunctive is a subordinate clause's ("perché venga riparato").
_SUBORDINATORS = frozenset({"che", "cui", "chi", *G.CONJUNCTIONS, *_CONJUNCTIONS})
# Stems of verbs whose subject follows them in a question: "Basterebbe un'ora?"
_SUBJECT_AFTER_STEMS = ("sar", "bast", "occorr", "bisogn", "tocc", "vorr", "ci", "arriv")
# Stems of verbs used with "si" of their own ("allenarsi"): "si allena" is a person, not the
# impersonal "si".
_PRONOMINAL_STEMS = tuple(sorted({form[:-1] for form in G.PRONOMINAL_THIRD}))
# Words after which a clause starts with its verb: "se", "quando", "che".
_CONJUNCTION_WORDS = frozenset({*G.CONJUNCTIONS, *_CONJUNCTIONS, "che"})
# Conjunctions that join commands: "la spenga e ci chiami".
_AND_OR = frozenset({"e", "o", "oppure", "poi"})


def _grammar_word(low: str) -> bool:
    """Whether a rule of _grammar_cues may start at the (lowercase) word ``low``."""
    return (
        low in _GRAMMAR_WORDS
        or low.endswith(("rebbe", "isce", "ti"))
        or G.is_second_future(low)
        or G.is_third_future(low)
        or G.is_third_imperfect_subjunctive(low)
        or G.is_second_imperfect_subjunctive(low)
    )


def _grammar_cues(
    text: str,
    words: list[tuple[int, int, str]],
    initial: set[int],
    commas: list[bool],
    found: list[_Cue],
    is_question: Callable[[int], bool],
    *,
    prefilter: bool = True,
    skip: set[int] | None = None,
) -> list[_Cue]:
    """The constructions of :mod:`smmkit.content._voice_grammar`: clauses after an
    introduction, compound tenses, "Le" as indirect object, the person of verbs after "se"."""
    tu, lei = GrammaticalPerson.TU, GrammaticalPerson.LEI
    lows = [w.rstrip("'’").lower() for _, _, w in words]
    n = len(words)
    taken = {c.start for c in found}
    by_start = {c.start: c for c in found}
    out: list[_Cue] = []

    def word(i: int) -> str:
        return lows[i] if 0 <= i < n else ""

    def add(
        i: int, j: int, person: GrammaticalPerson, suggestion: str | None, weak: bool = True
    ) -> None:
        start, end = words[i][0], words[j][1]
        if start not in taken:
            taken.add(start)
            cue = _Cue(start, end, text[start:end], person, suggestion, weak)
            out.append(cue)
            by_start[start] = cue

    def comma_before(i: int) -> bool:
        return commas[i]

    # Sentence of each word, clause starts after an introduction, and the person each
    # sentence has used so far (to read ambiguous forms).
    sentence = [0] * n
    apposed: set[int] = set()  # the first word after a name's apposition
    after_intro: dict[int, str] = {}  # a clause's first word after an introduction: its opener
    current, segment, named = -1, 0, -2  # named: a sentence that opens with a name and ","
    for i in range(n):
        if i in initial:
            current += 1
            segment = named = i
        elif commas[i]:
            opener = lows[segment]
            if (
                segment == named + 1
                and opener in _ARTICLE_WORDS
                and words[named][2][:1].isupper()
                and lows[named] not in G.INTRODUCERS  # "Ciao, la tua camera è pronta, passa"
            ):
                apposed.add(i)  # "Giulia, la nostra istruttrice, insegna": its subject is named
            elif (
                opener in G.INTRODUCERS
                or opener.endswith(("ando", "endo"))  # a gerund: "Ordinando entro le 12,"
                or G.is_participle_any(opener)  # "Terminato il trattamento,"
                or (opener in {"il", "la", "lo", "l"} and word(segment + 1) in G.NOT_SUBJECTS)
            ):
                after_intro[i] = opener
            segment = i
        sentence[i] = current

    # Per word, in one pass each (the grammar looks back within a clause; walking back from
    # every word would be quadratic on a long run-on "sentence"): whether every word of its
    # clause before it could not be its subject, and whether a preposition opens that part.
    free = [i not in apposed for i in range(n)]
    phrase = [False] * n
    preposition = [w in G.PREPOSITIONS for w in lows]
    commas_before = list(accumulate(commas, initial=0))  # commas among the gaps before i
    articles_before = list(accumulate((w in _ARTICLE_WORDS for w in lows), initial=0))

    def in_phrase(k: int) -> bool:
        """Whether word k ends a prepositional phrase that opened up to three words before."""
        if k >= 1 and preposition[k - 1]:
            p = k - 1
        elif k >= 2 and preposition[k - 2]:
            p = k - 2
        elif k >= 3 and preposition[k - 3]:
            p = k - 3
        else:
            return False
        return (
            sentence[p] == sentence[k]
            and commas_before[k + 1] == commas_before[p + 1]  # in this clause
            and lows[k] not in G.RELATIVES
            # "Da lunedì la palestra apre": an article after the phrase's noun opens another
            and (p + 2 >= k or articles_before[k] == articles_before[p + 2])
        )

    for i in range(1, n):
        k = i - 1
        if sentence[k] != sentence[i] or commas[i]:
            continue  # a new clause: nothing before the word in it
        before = lows[k]
        phrase[i] = phrase[k] or preposition[k]
        if before in G.CONJUNCTIONS:
            continue  # "anche se non ha mai giocato": a clause of its own
        free[i] = free[k] and (
            before in G.NOT_SUBJECTS
            or preposition[k]
            # a time adverbial: "Quest'anno si regali...", "Ogni mattina trova..."
            or (before in G.DEMONSTRATIVE_TIME and lows[i] in G.TIME_NOUNS)
            or (before in G.TIME_NOUNS and word(k - 1) in G.DEMONSTRATIVE_TIME)
            or in_phrase(k)
        )
    question: dict[int, bool] = {}

    def sentence_is_question(i: int) -> bool:
        if sentence[i] not in question:
            question[sentence[i]] = is_question(i)
        return question[sentence[i]]

    def clause_prefix_free(i: int) -> bool:
        """Whether nothing before word i in its clause can be its subject: adverbs, clitics,
        conjunctions and prepositional phrases ("Oggi in vetrina trova...")."""
        return free[i]

    def prefixed(i: int) -> bool:
        """A clause that opens with a prepositional phrase, then the verb ("Oggi in vetrina
        trova", "Con la carta accumuli"): an indicative, since a command seldom follows one."""
        if i in initial or i in after_intro or comma_before(i) or i == 0:
            return False
        if sentence[i - 1] != sentence[i] or lows[i - 1] in G.CLITICS:
            return False
        if lows[i - 1] in G.PREPOSITIONS or lows[i - 1] in _NOUN_BEFORE:
            return False  # "a pranzo e a cena": a noun after its preposition
        gap = text[words[i - 1][1] : words[i][0]]
        if gap[:1].isspace() and any(ch.isdigit() for ch in gap):
            return False  # "dei 10.000 passi": a noun after a number
        return phrase[i] and free[i]

    def impersonal_si(i: int) -> bool:
        """Whether word i is a 3rd person verb after an impersonal "si": one of a verb that is
        not pronominal ("quando si arriva"; "quando si allena" is the reader's or someone's)."""
        return (
            i > 0
            and lows[i - 1] == "si"
            and (not lows[i].startswith(_PRONOMINAL_STEMS) or sentence[i] in impersonal_sentences)
        )

    # Sentences with an impersonal "si" before a finite verb ("si ottiene uno sconto"): a
    # pronominal verb after "se si" there is impersonal too.
    impersonal_sentences = {
        sentence[k]
        for k in range(n - 1)
        if lows[k] == "si"
        and (G.is_finite(lows[k + 1]) or lows[k + 1] in G.VENIRE_PASSIVE)
        and not lows[k + 1].startswith(_PRONOMINAL_STEMS)
    }

    def joined_to_third(i: int) -> bool:
        """Whether the verb at i is joined by "e" to a 3rd person present of an -ere/-ire verb
        a few words on, in its clause: "paga due e prende tre" (an indicative, as "prende")."""
        for m in range(i + 1, min(i + 5, n - 1)):
            if commas[m] or sentence[m] != sentence[i]:
                return False
            if lows[m] == "e" and not commas[m + 1]:
                after = lows[m + 1]
                return after in G.FORMS.lei_present and after.endswith("e")
        return False

    def ours(k: int) -> bool:
        """Whether a verb of ours ends the clause before word k ("Speriamo", "Siamo certi")."""
        return any(
            m >= 0
            and sentence[m] == sentence[k]
            and not commas[m + 1]
            and (lows[m].endswith("iamo") or lows[m] == "siamo")
            for m in (k - 1, k - 2)
        )

    def starts_clause(i: int) -> bool:
        return i in initial or i in after_intro

    def skip_adverbs(j: int) -> int:
        while word(j) in G.ADVERBS and word(j) != "non":
            j += 1
        return j

    def subject_follows(verb_at: int) -> bool:
        # An article after a verb whose subject may follow it ("se passa il corriere"),
        # maybe after an adjective or adverb ("quando torna disponibile la taglia").
        if lows[verb_at] not in G.FORMS.intransitive:
            return False
        after = word(verb_at + 1)
        return after in G.DETERMINERS or (
            after not in G.PREPOSITIONS
            and after not in G.NOT_SUBJECTS
            and word(verb_at + 2) in _ARTICLE_WORDS
        )

    seen: set[GrammaticalPerson] = set()  # the persons of the sentence's cues before word i
    relevant: dict[str, bool] = {}
    for i in range(n):
        opens = i in initial
        if opens:
            seen = set()
        elif (cue_before := by_start.get(words[i - 1][0])) is not None:
            seen.add(cue_before.person)
        if skip and i in skip:
            continue  # a pronoun that stands for a phrase of the sentence, not the reader
        low = lows[i]
        at_word = relevant.get(low)
        if at_word is None:
            at_word = relevant[low] = _grammar_word(low) if prefilter else True
        if (
            not at_word
            and not opens
            and not commas[i]
            and i not in after_intro
            and lows[i - 1] not in _AND_OR
            and lows[i - 1] not in _CONJUNCTION_WORDS
        ):
            continue  # no rule starts here (the rules of clauses are read below)
        nxt = word(i + 1)
        if at_word:  # the rules below start only at words of _grammar_word
            # 2nd person future: "capirai", "tornerai" (tu) anywhere.
            if G.is_second_future(low):
                add(i, i, tu, G.FORMS.tu_future.get(low, low[:-2] + "à"), weak=False)
                continue
            # "sei" with a participle: "Sei passato...?" (tu)
            if low == "sei" and G.is_participle(word(skip_adverbs(i + 1))):
                add(i, i, tu, "è", weak=False)
                continue
            # Thanks for "suo/sua": the reader's ("Grazie per la sua recensione"), as nobody else
            # is named between.
            if low in G.POSSESSIVES_LEI and words[i][2].islower():
                k = i - 1
                while k >= 0 and sentence[k] == sentence[i] and lows[k] in _THANKS_BETWEEN:
                    k -= 1
                named = any(  # "Grazie al suo impegno, Marco ha vinto": Marco's
                    sentence[m] == sentence[i] and words[m][2][:1].isupper() and m not in initial
                    for m in range(i + 1, min(n, i + 12))
                )
                if (
                    k >= 0
                    and sentence[k] == sentence[i]
                    and lows[k] == "grazie"
                    and k < i - 1
                    and not named
                ):
                    add(i, i, lei, {"suo": "tuo", "sua": "tua", "suoi": "tuoi", "sue": "tue"}[low])
                    continue
            # "la" before a verb whose object is a person: the reader ("Il sarto la
            # contatterà").
            if (
                low == "la"
                and not words[i][2].endswith(("'", "’"))
                and nxt in G.FORMS.person_object
            ):
                add(i, i + 1, lei, "ti")
                continue
            # A subjunctive after "qualunque cosa", "ovunque", with no subject: the reader.
            if (low, nxt) in G.WHATEVER or (low, "") in G.WHATEVER:
                k = i + 2 if (low, nxt) in G.WHATEVER else i + 1
                if word(k) in G.CLITICS:
                    k += 1
                verb = word(k)
                if verb in G.FORMS.lei_subjunctive or verb in _LEI_ERE_IRE or verb in _LEI_ARE:
                    add(k, k, lei, G.FORMS.lei_subjunctive.get(verb) or _LEI_ERE_IRE.get(verb))
                    continue
            # A pronominal verb after "se", "quando"...: "quando si allena" (Lei), not the
            # impersonal "si" of "quando si mangia".
            if (
                low == "si"
                and i > 0
                and (
                    lows[i - 1] in G.CONJUNCTIONS
                    or (lows[i - 1] in {"come", "dove"} and sentence_is_question(i))
                )
                and nxt in G.PRONOMINAL_THIRD
                and not subject_follows(i + 1)
                # "Se si prenota entro venerdì, si ottiene uno sconto": anyone
                and sentence[i] not in impersonal_sentences
            ):
                add(i, i + 1, lei, G.PRONOMINAL_THIRD[nxt])
                continue
            # "Glielo diciamo in anticipo": opening a sentence before a verb of ours, the
            # cluster's "gli" is the reader's (Lei) as "Le" would be.
            if (
                low in {"glielo", "gliela", "glieli", "gliele", "gliene"}
                and i in initial
                and nxt.endswith("iamo")
            ):
                add(i, i + 1, lei, "te " + low[4:] + " " + nxt)
                continue
            # "Le"/"le" as the reader's indirect object.
            if low == "le" and i + 1 < n:
                j = i + 1
                verb = lows[j]
                after = word(j + 1)
                if (
                    verb in G.ESSERE
                    or verb in G.DATIVE_PRESENT
                    or (verb.startswith(G.DATIVE_STEMS) and G.is_finite(verb))
                ):
                    add(i, j, lei, "ti", weak=False)  # "le risponderà": the verb takes no object
                    continue
                if verb in G.VENIRE_PASSIVE and G.is_participle_any(word(skip_adverbs(j + 1))):
                    add(i, j, lei, "ti", weak=False)  # a passive has no object: "le verrà inviata"
                    continue
                if verb in G.AVERE and G.is_participle(word(skip_adverbs(j + 1))):
                    add(
                        i, j, lei, "ti", weak=False
                    )  # an unagreed participle: "le ho preparato" (to you)
                    continue
                if G.is_future_or_conditional(verb) and (
                    words[i][2][0] == "L"
                    or after in G.DETERMINERS
                    or after in G.COMPLEMENTS
                    or verb.startswith(("piac", "serv", "dispiac", "andr", "conv", "interess"))
                ):
                    add(i, j, lei, "ti", weak=False)
                    continue
                first_person = verb.endswith("iamo") or (
                    verb in G.FORMS.finite and verb.endswith("o")
                )
                if first_person and after in G.DETERMINERS:
                    add(i, j, lei, "ti", weak=False)  # "le segnaliamo il pane"
                    continue
            # "La" as the reader's direct object before a verb and its subject: "La aspetta una..."
            if (
                low == "la"
                and i in initial
                and nxt in G.FORMS.lei_present
                and word(i + 2) in G.DETERMINERS
                and word(i + 2) not in {"di", "che"}  # "La visita di controllo": a noun
            ):
                add(i, i + 1, lei, "ti")
                continue
            # Compound tenses and "avere" idioms: "Ha già provato...?", "Oggi ha diritto a..."
            if (
                low in G.AVERE_THIRD
                # "ci ha fatto felici": about us, by someone; but "Ci ha scritto?" asks the reader
                and (
                    word(i - 1) not in {"ci", "mi"}
                    or (i - 1 in initial and sentence_is_question(i))
                )
                and (
                    starts_clause(i)
                    or clause_prefix_free(i)
                    # "come ha conosciuto...?", unless its subject follows ("come ha fatto Marco")
                    or (
                        word(i - 1) in {"come", "dove", "quando", "perché", "cosa"}
                        and G.is_participle(word(skip_adverbs(i + 1)))
                        and not words[min(skip_adverbs(i + 1) + 1, n - 1)][2][:1].isupper()
                    )
                )
            ):
                j = skip_adverbs(i + 1)
                if G.is_participle(word(j)) or (
                    low == "ha"
                    and (
                        word(i + 1) in G.HA_IDIOMS
                        or word(j) in _ARTICLE_WORDS | G.NUMBERS  # "Nel carrello ha ancora due..."
                        or (i in initial and sentence_is_question(i))
                        # a bare noun after an introduction: ", ha accesso alla sala pesi";
                        # not "Domani, ha inizio il corso" (its subject follows)
                        or (
                            i in after_intro
                            and word(j).isalpha()
                            and word(j) not in G.DETERMINERS
                            and word(j + 1) not in G.DETERMINERS
                        )
                    )
                ):
                    add(i, i, lei, G.AVERE_THIRD[low])
                    continue
            # "È riuscito ad accedere?": a compound tense with "essere" opening a question, its
            # subject not after it ("È arrivato il pacco?") nor a passive ("È stato spedito?").
            if (
                low in {"è", "era"}
                and (i in initial or i in after_intro)
                and sentence_is_question(i)
            ):
                j = skip_adverbs(i + 1)
                participle = word(j)
                if (
                    participle[-1:] in {"o", "a"}
                    and G.is_participle(participle[:-1] + "o")
                    and not participle.startswith(("piaciut", *G.HAPPENING))
                    # "È stato spedito?" is a passive; "È mai stata in Umbria?" the reader
                    and not (participle.startswith("stat") and G.is_participle_any(word(j + 1)))
                    and word(j + 1) not in G.DETERMINERS
                ):
                    add(i, i, lei, "sei" if low == "è" else "eri")
                    continue
            if (
                low == "si"
                and nxt in G.ESSERE
                and G.is_participle_any(word(skip_adverbs(i + 2)))
                and sentence_is_question(i)
                and (starts_clause(i) or clause_prefix_free(i))
            ):
                add(i, i + 1, lei, "ti sei")
                continue
            # A verb's person after "se", "quando"...: "se ordina" (Lei), "se ordini" is tu.
            k = i - 1  # back over "non" and unstressed pronouns: "se ce lo segnala"
            while k >= 0 and i - k <= 3 and lows[k] in _PROCLITICS_OR_NON and k not in initial:
                k -= 1
            conjunction_before = (
                k >= 0
                and sentence[k] == sentence[i]
                and (
                    lows[k] in G.CONJUNCTIONS
                    or lows[k] in _CONJUNCTIONS
                    or (k > 0 and lows[k] == "che" and lows[k - 1] in _BEFORE_CHE_CONJUNCTION)
                )
            )
            # An imperfect subjunctive after "se", "qualora": "qualora avesse bisogno" (Lei)
            if (
                conjunction_before
                and lows[k] in G.HYPOTHESIS
                and not subject_follows(i)
                and not impersonal_si(i)
            ):
                if G.is_third_imperfect_subjunctive(low):
                    add(i, i, lei, low[:-1] + "i")
                    continue
                if G.is_second_imperfect_subjunctive(low) and low not in G.FORMS.lei_subjunctive:
                    add(i, i, tu, low[:-1] + "e")
                    continue
            article_noun = (  # "Se la consegna tarda": "la consegna" is the subject of "tarda"
                i > 1
                and lows[i - 1] in {"la", "le", "lo", "gli", "l"}
                and lows[i - 2] in G.CONJUNCTIONS
                and (word(i + 1) in G.FORMS.finite or word(i + 1) in G.ESSERE)
                and not comma_before(i + 1)
            )
            if (
                conjunction_before
                and (low in G.FORMS.lei_present or G.is_third_future(low))
                and not low.startswith("sar")
                and not subject_follows(i)
                and not article_noun
                and not impersonal_si(i)  # "quando si arriva": anyone arriving
            ):
                tu_form = G.FORMS.lei_present.get(low) or G.FORMS.lei_future.get(low)
                add(i, i, lei, tu_form)
                continue
            # "Si ricorda...?": a reflexive verb of the reader opening a question
            if (
                low == "si"
                and starts_clause(i)
                and sentence_is_question(i)
                and f"{nxt}ti" in _TU_REFLEXIVE
            ):
                add(i, i + 1, lei, f"{nxt}ti")
                continue
            # The formal pronoun after a preposition: "per lei", "insieme a lei".
            if low == "lei" and i > 0 and lows[i - 1] in G.PREPOSITIONS_BEFORE_PRONOUN:
                add(i, i, lei, "te")
                continue
            # A question opening with a verb of the reader: "Sa che...?", "Vorrebbe...?"
            if (
                i in initial
                and (
                    low in G.LEI_PRESENT_MODALS
                    or low in {"vorrebbe", "potrebbe", "desidererebbe", "avrebbe", "dovrebbe"}
                    # any conditional with its object: "Gradirebbe un tavolo...?"; not one
                    # whose subject follows ("Servirebbe un ombrello?")
                    or (
                        low.endswith("rebbe")
                        and len(low) > 7
                        and nxt in G.DETERMINERS
                        and not low.startswith((*G.DATIVE_STEMS, *_SUBJECT_AFTER_STEMS))
                        and low not in G.FORMS.intransitive
                    )
                )
                and sentence_is_question(i)
            ):
                add(i, i, lei, G.LEI_PRESENT_MODALS.get(low, low[:-3] + "sti"))
                continue
            # "Sarebbe così gentile da...?", "Sarebbe interessato a...?": the reader, with an
            # adjective and a preposition; "Sarebbe possibile ricevere...?" is impersonal.
            # "È pronto per...?" too; "È possibile prenotare?" and "È adatto ai bambini?" are not.
            if low in G.ESSERE_THIRD and i in initial and sentence_is_question(i):
                j = skip_adverbs(i + 1)
                while word(j) in {"così", "tanto", "molto"}:
                    j += 1
                if (
                    word(j) not in G.DETERMINERS
                    and word(j) not in G.THING_ADJECTIVES
                    and word(j)[-1:] in {"o", "a", "e"}
                    and not _INFINITIVE.match(word(j))
                    and word(j + 1) in {"da", "a", "ad", "per", "di"}
                ):
                    add(i, i, lei, G.ESSERE_THIRD[low])
                    continue
            # "Lo sapeva...?": an imperfect of the reader opening a question, after its pronoun too
            if (
                low in G.FORMS.lei_imperfect
                and (i in initial or (i - 1 in initial and lows[i - 1] in G.CLITICS))
                and sentence_is_question(i)
            ):
                add(i, i, lei, G.FORMS.lei_imperfect[low])  # "Voleva la taglia M?", "Cercava...?"
                continue
            # A 3rd person conditional in a question after question words and pronouns only: "Che
            # ne direbbe di...?" (Lei)
            if low.endswith("rebbe") and len(low) > 6 and i not in initial:
                m = i - 1
                while m > 0 and i - m < 3 and m not in initial and lows[m] in G.QUESTION_OPENERS:
                    m -= 1
                if m in initial and lows[m] in G.QUESTION_OPENERS and sentence_is_question(i):
                    add(i, i, lei, low[:-4] + "esti")
                    continue
            # A question opening with an "-isce" verb and its object: "Gradisce un caffè?"
            if (
                i in initial
                and low.endswith("isce")
                and len(low) > 6
                and not low.startswith(G.HAPPENING)
                and nxt in _OBJECT_STARTS
                and sentence_is_question(i)
            ):
                add(i, i, lei, low[:-1] + "i")
                continue
            # After "che" completing a verb of ours ("Siamo certi che", "Speriamo che"), with
            # no subject between: a future ("che apprezzerà il menu") or a reflexive compound
            # tense ("che si sia trovato bene") is the reader's, unless its subject follows.
            if i > 1 and lows[i - 1] == "che" and ours(i - 1):
                if (
                    G.is_third_future(low)
                    and not low.startswith(("sar", *G.HAPPENING))
                    and not subject_follows(i)
                ):
                    add(i, i, lei, G.FORMS.lei_future.get(low))
                    continue
                j = skip_adverbs(i + 2)
                if (
                    low == "si"
                    and nxt in {"sia", "è", "sarà"}
                    and G.is_participle_any(word(j))
                    and word(j + 1) not in G.DETERMINERS  # "si è trovato un accordo"
                ):
                    add(i, i + 1, lei, "ti " + {"sia": "sia", "è": "sei", "sarà": "sarai"}[nxt])
                    continue
            # A future after "cosa", "come", "dove": "Ecco cosa troverà" (Lei), unless "cosa" is
            # its subject ("Ecco cosa cambierà").
            if (
                i > 0
                and lows[i - 1] in {"cosa", "come", "dove", "quanto"}
                and G.is_third_future(low)
                and not low.startswith(("sar", *G.HAPPENING))
                and not subject_follows(i)
            ):
                add(i, i, lei, G.FORMS.lei_future.get(low))
                continue
            # A negated command opening a clause after a comma: ", non aspettare" (tu); ", non
            # aspetti" (Lei, where the sentence has not used tu).
            if (
                low == "non"
                and (i in initial or comma_before(i))
                and len(nxt) > 4
                and nxt.endswith("i")
                # not "non fermarti" (an infinitive and its pronoun), "non riesci", "non
                # smetti" (-ere/-ire tu forms); a vowel before "-ti" is an -are verb's: "esiti"
                and not nxt.endswith(("mi", "ci", "si"))
                and not (nxt.endswith("ti") and nxt[-3] not in "aeiou")
                and word(i + 2) in {"a", "di"}
                and _INFINITIVE.match(word(i + 3))
                and tu not in seen
            ):
                add(i, i + 1, lei, nxt[:-1] + "are")  # "non esiti a", "non dimentichi di"
                continue
            if low == "non" and comma_before(i) and i + 1 < n:
                if _INFINITIVE.match(nxt) and nxt != "essere" and not nxt.endswith("corre"):
                    add(i, i + 1, tu, None, weak=False)  # not "occorre", a 3rd person
                    continue
                if (nxt in _LEI_ARE or nxt in _LEI_ERE_IRE) and tu not in seen:
                    add(i, i + 1, lei, _LEI_TO_TU.get(nxt) or _LEI_ERE_IRE.get(nxt))
                    continue
            # A title in the vocative: ", signor Rossi", "Signora Bianchi, ..."
            if (
                low in G.TITLES
                and (i in initial or comma_before(i))
                and i + 1 < n
                and words[i + 1][2][:1].isupper()
            ):
                add(i, i + 1, lei, None, weak=False)
                continue
            # After words that cannot be its subject: "Oggi in vetrina trova" (Lei), "trovi" (tu)
            if prefixed(i) and not subject_follows(i):
                if low in G.FORMS.lei_present and low not in G.CLITICS:
                    add(i, i, lei, G.FORMS.lei_present[low])
                    continue
                are_second = (
                    low in _LEI_ARE
                    or G.FORMS.lei_subjunctive.get(low, "") in G.FORMS.tu_imperative_are
                )
                if are_second and words[i][2].islower():
                    add(
                        i, i, tu, _LEI_TO_TU.get(low)
                    )  # an indicative after a phrase, not a command
                    continue
                if low in _TU_PRESENT_ERE_IRE and words[i][2].islower():
                    add(i, i, tu, _TU_PRESENT_ERE_IRE[low])  # "Nell'app vedi..." (tu)
                    continue
            # A modal right after "ma", "e", "però": "..., ma può prenotarle per sabato" (Lei).
            if (
                low in G.LEI_PRESENT_MODALS
                and i > 0
                and (
                    lows[i - 1] in {"ma", "e", "però", "oppure", "o", "quindi", "poi"}
                    or (lows[i - 1] == "lei" and word(i - 2) in {"ma", "e", "però", "quindi"})
                )
                and _INFINITIVE.match(nxt)
                and nxt != "essere"
            ):
                add(i, i, lei, G.LEI_PRESENT_MODALS[low])
                continue
            # Modal futures with an infinitive after a subject-free start: "Da lunedì potrà
            # ordinare"
            if (
                low in {"potrà", "vorrà", "dovrà"}
                and _INFINITIVE.match(nxt)
                and (starts_clause(i) or clause_prefix_free(i))
            ):
                add(i, i, lei, G.FORMS.lei_future.get(low))
                continue
            # ... and present ones: "Anche quest'anno può donare..."
            if (
                low in G.LEI_PRESENT_MODALS
                and i not in initial
                and _INFINITIVE.match(nxt)
                and nxt != "essere"
                and clause_prefix_free(i)
                and lows[i - 1] not in G.PREPOSITIONS
                and lows[i - 1] != "si"  # "si deve esporre": impersonal (or the "si" reads it)
            ):
                add(i, i, lei, G.LEI_PRESENT_MODALS[low])
                continue
            # A 3rd person future after words that cannot be its subject: "Entro domani riceverà
            # un SMS" (the reader), unless its subject follows ("Domani arriverà il pacco").
            if (
                i not in initial
                and G.is_third_future(low)
                and not low.startswith("sar")
                and clause_prefix_free(i)
                and not subject_follows(i)
                and lows[i - 1] not in G.PREPOSITIONS
                and lows[i - 1] not in _ARTICLE_WORDS
            ):
                add(i, i, lei, G.FORMS.lei_future.get(low))
                continue
            # Reflexive tu imperatives at a clause start: "Gustati la colazione".
            if (
                starts_clause(i)
                and low.endswith("ti")
                and (low[:-2] in _TU_ARE or low[:-2] in _ERE_IRE)
            ):
                add(i, i, tu, None, weak=False)
                continue
            # A sentence opening with a 3rd person future of the lexicon and no subject: "Troverà
            # il modulo allegato" (the reader), unless its subject follows ("Arriverà il Natale").
            if (
                i in initial
                and low in G.FORMS.lei_future
                and not low.startswith("sar")
                and not subject_follows(i)
                and tu not in seen
            ):
                add(i, i, lei, G.FORMS.lei_future[low])
                continue
            # A command of an -ere/-ire verb (its form is the Lei one only) after a time
            # adverbial and no subject: "Stasera venga a cantare con noi".
            if (
                low in _LEI_ERE_IRE
                and i not in initial
                and clause_prefix_free(i)
                and lows[i - 1] not in _SUBORDINATORS
                and lows[i - 1] not in G.PREPOSITIONS
                and not subject_follows(i)
            ):
                add(i, i, lei, _LEI_ERE_IRE[low])
                continue
            # A reflexive command after a time adverbial: "Quest'anno si regali un corso".
            if (
                low == "si"
                and i not in initial
                and f"si {nxt}" in _LEI_REFLEXIVE
                and clause_prefix_free(i)
                and lows[i - 1] not in {"che", "cui"}
            ):
                add(i, i + 1, lei, _LEI_REFLEXIVE[f"si {nxt}"])
                continue
        # An -are verb outside the lexicon right after a conjunction, its object after it:
        # "Ogni volta che effettua il check-in" (a subordinate clause is in the indicative,
        # so "-a" is a 3rd person: the reader as Lei; "-i" would be tu or a subjunctive).
        if (
            i > 0
            and (
                lows[i - 1] in G.CONJUNCTIONS
                or lows[i - 1] in _CONJUNCTIONS
                or (i > 1 and lows[i - 1] == "che" and lows[i - 2] in _BEFORE_CHE_CONJUNCTION)
            )
            and sentence[i - 1] == sentence[i]
            and len(low) >= 5
            and low.endswith("a")
            and words[i][2].islower()
            and word(i + 1) in _OBJECT_STARTS
            and not commas[i + 1]  # "Quando nevica, le lezioni...": no object
            and low not in G.NOT_SUBJECTS
            and low not in G.DETERMINERS
            and low not in G.INTRODUCERS
            and low not in G.FORMS.finite  # the lexicon's verbs are read above
            and not subject_follows(i)
        ):
            add(i, i, lei, G.soft(low[:-1], "i") + "i")
            continue
        # Commands joined by "e": "la spenga e ci chiami" reads like its first command.
        coordinated = (
            i > 0
            and lows[i - 1] in _AND_OR
            # "e vinca", "o ci scriva": a command only
            and (
                len(seen) == 1 or low in _LEI_ERE_IRE or (low in G.CLITICS and nxt in _LEI_ERE_IRE)
            )
        )
        # a pronoun and a command after a comma: "Le sta bene questo blu, mi creda"
        commanded = (
            commas[i]
            and low in _PROCLITICS
            and (
                word(i + 1) in _LEI_ERE_IRE
                # an -ere/-ire subjunctive ("creda"): the Lei form only
                or (word(i + 1) in G.FORMS.lei_subjunctive and word(i + 1).endswith("a"))
            )
        )
        if not (starts_clause(i) or coordinated or commanded):
            continue
        # --- a clause after an introduction ("Se passa in negozio, chieda di Marco")
        negated = low == "non"
        j = i + 1 if negated else i
        if word(j) in {"ce", "me"} and word(j + 1) in {"lo", "la", "li", "le", "ne"}:
            j += 1  # a pair of pronouns: ", ce lo comunichi" (the verb after the second)
        clitic = word(j) in G.CLITICS
        verb = word(j + 1) if clitic else word(j)
        verb_end = j + 1 if clitic else j
        if (
            clitic
            and word(j) in _ARTICLE_WORDS
            and (word(verb_end + 1).endswith(("ano", "ono")) or word(verb_end + 1) in G.ESSERE)
            and len(word(verb_end + 1)) > 4
            and not commas[verb_end + 1]
        ):
            continue  # "gli ospiti assaggiano": an article, a noun and its verb
        if verb in G.IRREGULAR_LEI_SUBJUNCTIVE or verb in _LEI_ERE_IRE:
            add(
                i,
                verb_end,
                lei,
                G.FORMS.lei_subjunctive.get(verb) or _LEI_ERE_IRE.get(verb),
                weak=False,
            )
            continue
        if i in initial and not (negated or clitic):
            continue  # a sentence's first word: the rules of _italian_cues decide
        if i in initial and clitic and not negated and sentence_is_question(i):
            # "Mi confermi l'indirizzo?" asks in the indicative: tu; "Mi conferma...?" Lei
            if G.FORMS.lei_subjunctive.get(verb, "") in G.FORMS.tu_imperative_are:
                add(i, verb_end, tu, G.FORMS.lei_subjunctive[verb])
            elif verb in G.FORMS.lei_present:
                add(i, verb_end, lei, G.FORMS.lei_present[verb])
            continue
        if f"si {verb}" in _LEI_REFLEXIVE and word(j) == "si":
            add(i, verb_end, lei, _LEI_REFLEXIVE[f"si {verb}"], weak=False)
            continue
        if (
            not clitic
            and not negated
            and verb in {"trova", "trovi"}
            and after_intro.get(i) in G.PLACE_OR_TIME_OPENERS
        ):  # "In allegato, trova la fattura", "Ogni mattina, trova": what is there
            add(i, i, lei if verb == "trova" else tu, "trovi" if verb == "trova" else "trova")
            continue
        if not clitic and not negated and after_intro.get(i) in G.MEANS_OR_RANGE_OPENERS:
            # "Con la carta fedeltà, accumula punti", "Dal lunedì al venerdì, pranzi con 10
            # euro": what the reader gets by a means or in a span of time, in the indicative
            if verb in G.FORMS.tu_imperative_are:
                add(i, i, lei, G.FORMS.tu_imperative_are[verb])
                continue
            if G.FORMS.lei_subjunctive.get(verb, "") in G.FORMS.tu_imperative_are:
                add(i, i, tu, G.FORMS.lei_subjunctive[verb])
                continue
        if (verb in G.FORMS.lei_subjunctive or verb in _LEI_ARE) and tu not in seen:
            tu_form = G.FORMS.lei_subjunctive.get(verb) or _LEI_TO_TU.get(verb)
            add(i, verb_end, lei, tu_form)  # "prenoti", "ci avvisi"
            continue
        if (
            G.is_third_future(verb)
            and not verb.startswith("sar")  # "sarà": what will be, seldom the reader
            and not subject_follows(verb_end)
        ):
            add(i, verb_end, lei, G.FORMS.lei_future.get(verb))  # "riceverà un SMS"
            continue
        if (
            verb in G.LEI_PRESENT_MODALS
            and _INFINITIVE.match(word(verb_end + 1))
            # "si deve esporre il listino": an impersonal passive, its subject after it
            and not (word(j) == "si" and word(verb_end + 2) in G.DETERMINERS)
        ):
            add(i, verb_end, lei, G.LEI_PRESENT_MODALS[verb])
            continue
        if (
            not clitic
            and not negated
            and verb in G.FORMS.tu_imperative_are
            and not subject_follows(i)  # "Alle 20:30, inizia la degustazione"
        ):
            if lei in seen or joined_to_third(i):
                add(i, i, lei, G.FORMS.lei_present.get(verb))  # "se passa..., trova il pane"
            else:
                add(i, i, tu, G.FORMS.tu_imperative_are[verb])  # "Se vuoi, prenota"
            continue
        if (
            not clitic
            and not negated
            and verb in G.FORMS.lei_present
            and tu not in seen
            and not subject_follows(i)
        ):
            add(i, i, lei, G.FORMS.lei_present[verb])  # "se ordina oggi, riceve tutto"
            continue
        # ... and with its object pronoun before it: "..., la riavvii prima di chiamarci" (Lei)
        if (
            i in after_intro
            and clitic
            and not negated
            and word(j) in {"lo", "la", "li", "le", "ne", "ci"}
            and len(verb) >= 6
            and verb.endswith("i")
            and tu not in seen
            and verb not in _ERE_IRE
            and verb not in G.FORMS.lei_present.values()
            and verb not in G.FORMS.tu_imperfect
            and verb not in G.NOT_SUBJECTS
            and not G.is_finite(verb)
            and not verb.endswith("ioni")  # "le lezioni": a plural noun after its article
        ):
            add(i, verb_end, lei, None)
            continue
        # A command of a verb outside the lexicon, its object after it: "In caso di
        # smarrimento, blocca subito la carta" (tu); "-chi", "-ghi" are Lei ("blocchi").
        if (
            i in after_intro
            and not clitic
            and not negated
            and len(verb) >= 5
            and words[i][2].islower()
            and word(i + 1) in _OBJECT_STARTS
            and verb not in G.NOT_SUBJECTS
            and verb not in G.INTRODUCERS
            and verb not in G.NOT_VERBS_BEFORE_AN_ARTICLE
            and verb not in G.FORMS.lei_subjunctive
            and verb not in _LEI_ERE_IRE
            and verb not in G.FORMS.lei_present  # the lexicon's verbs are read above
        ):
            if verb.endswith("a") and lei not in seen and not joined_to_third(i):
                add(i, i, tu, G.soft(verb[:-1], "i") + "i")
            elif (
                verb.endswith("i")
                and tu not in seen
                and verb not in _ERE_IRE
                and verb not in G.FORMS.lei_present.values()
                and verb not in G.FORMS.tu_imperfect
            ):  # new verbs are -are verbs: "reimposti la password" (Lei)
                add(i, i, lei, (verb[:-2] if verb.endswith(("chi", "ghi")) else verb[:-1]) + "a")
    return out


# Prefixes that make new verbs of old ones: "ri-leggere", "sotto-scrivere".
_VERB_PREFIXES = ("ri", "sotto", "sopra", "contro", "inter", "tras")


def _unprefixed(word: str) -> str | None:
    """The -ere/-ire command of the lexicon inside a prefixed verb ("rileggi": "leggi")."""
    if word in _ERE_IRE or word in _LEI_ERE_IRE:
        return None
    for prefix in _VERB_PREFIXES:
        base = word[len(prefix) :]
        if (
            word.startswith(prefix)
            and len(base) >= 5
            and (base in _ERE_IRE or base in _LEI_ERE_IRE)
        ):
            return base
    return None


def _lei_imperative(tu_form: str) -> str | None:
    return _ERE_IRE.get(tu_form) or _TU_TO_LEI.get(tu_form)


# --------------------------------------------------------------------------------------------
# English register.

_EN_INFORMAL = re.compile(
    r"(?<![\w'])(?:[a-z]+n't|(?:you|we|they|i|it|that|there|here|what|who|let)'(?:re|ll|ve|d|s|m)"
    r"|hey|guys|gonna|wanna|gotta|awesome|cool|lol|omg|folks|y'all|stuff|kinda|sorta)(?![\w'])",
    re.IGNORECASE,
)
_EN_FORMAL = re.compile(
    r"(?<![\w'])(?:kindly|hereby|herewith|whom|pursuant|aforementioned|henceforth|thereof"
    r"|we are pleased to|please be advised|dear (?:customer|valued customer|sir|madam)"
    r"|esteemed|furthermore|shall|notwithstanding|hitherto)(?![\w'])",
    re.IGNORECASE,
)
_EN_PLAIN = {
    "kindly": "please",
    "hereby": "(drop it)",
    "whom": "who",
    "furthermore": "also",
    "shall": "will",
    "henceforth": "from now on",
    "esteemed": "(drop it)",
    "we are pleased to": "we're happy to",
    "please be advised": "(drop it)",
    "aforementioned": "this",
    "pursuant": "under",
    "thereof": "of it",
}

_ACRONYMS = frozenset(
    {
        "HTML",
        "HTTP",
        "HTTPS",
        "UNESCO",
        "COVID",
        "NATO",
        "ASAP",
        "FAQS",
        "GDPR",
        "IVA",
        "SEO",
        "B2B",
        "CEO",
        "USA",
        "DOP",
        "IGP",
        "DOCG",
        "BIO",
    }
)
_CAPS_WORD = regex.compile(r"(?<![\p{L}\p{N}_#@/.])\p{Lu}{4,}(?![\p{L}\p{N}_])")
_BANGS = re.compile(r"[!?]*![!?]*")


def _shouting(text: str, skip: _EntitySpans) -> list[VoiceFinding]:
    out: list[VoiceFinding] = []
    for m in _CAPS_WORD.finditer(text):
        word = m.group(0)
        if word in _ACRONYMS or skip.holds(m.start()):
            continue
        out.append(
            VoiceFinding(
                rule=VoiceRule.SHOUTING,
                span=(m.start(), m.end()),
                found=word,
                message=f"{word!r} is written in capitals, which reads as shouting",
                suggestion=word.capitalize(),
                severity="warning",
            )
        )
    for bang in _BANGS.finditer(text):
        marks = bang.group(0)
        if len(marks) >= 2 and not skip.holds(bang.start()):
            out.append(
                VoiceFinding(
                    rule=VoiceRule.SHOUTING,
                    span=(bang.start(), bang.end()),
                    found=marks,
                    message=f"{marks!r}: repeated exclamation marks read as shouting",
                    suggestion="!" if "?" not in marks else "?",
                    severity="warning",
                )
            )
    return out


def _emoji(text: str, voice: VoiceProfile) -> list[VoiceFinding]:
    if text.isascii() or tx.MAYBE_EMOJI.search(text) is None:
        return []
    positions: list[tuple[int, int, str]] = []
    pos = 0
    for g in tx.graphemes(text):
        if tx.is_emoji(g):
            positions.append((pos, pos + len(g), g))
        pos += len(g)
    if not positions:
        return []
    if voice.emoji is EmojiPolicy.NONE:
        return [
            VoiceFinding(
                rule=VoiceRule.EMOJI,
                span=(s, e),
                found=g,
                message="the brand's voice uses no emoji",
                suggestion="",
            )
            for s, e, g in positions
        ]
    cap = voice.max_emoji
    if cap is None and voice.emoji is EmojiPolicy.SPARING:
        cap = 3
    if cap is None or len(positions) <= cap:
        return []
    s, _, _ = positions[cap]
    e = positions[-1][1]
    return [
        VoiceFinding(
            rule=VoiceRule.EMOJI,
            span=(s, e),
            found=text[s:e],
            message=f"{len(positions)} emoji; the brand's voice allows at most {cap} per post",
            suggestion=f"keep {cap} emoji at most",
            severity="warning",
        )
    ]


def _terms(text: str, voice: VoiceProfile, folding: _Folded) -> list[VoiceFinding]:
    if not voice.banned_terms and not voice.preferred_terms:
        return []
    folded, index = folding.get()
    out: list[VoiceFinding] = []
    taken: list[tuple[int, int]] = []
    for term in voice.banned_terms:
        for m in term_pattern(term).finditer(folded):
            s, e = index[m.start()], index[m.end()]
            taken.append((s, e))
            replacement = voice.preferred_terms.get(term)
            out.append(
                VoiceFinding(
                    rule=VoiceRule.BANNED_TERM,
                    span=(s, e),
                    found=text[s:e],
                    message=f"{text[s:e]!r} is a banned term for this brand ({term!r})",
                    suggestion=replacement or "remove or rephrase",
                )
            )
    banned = _Spans(taken)
    for term, preferred in voice.preferred_terms.items():
        if term in voice.banned_terms:
            continue
        for m in term_pattern(term).finditer(folded):
            s, e = index[m.start()], index[m.end()]
            if banned.overlaps(s, e):
                continue
            out.append(
                VoiceFinding(
                    rule=VoiceRule.PREFERRED_TERM,
                    span=(s, e),
                    found=text[s:e],
                    message=f"the brand says {preferred!r} rather than {term!r}",
                    suggestion=preferred,
                    severity="warning",
                )
            )
    return out


# Quoted words are a label or someone else's ("clicchi su «Gestisci prenotazione»"), not the
# brand addressing its reader; a quotation runs to its closing mark within a line (bounded, so
# each is read once).
_QUOTED = re.compile(r'"[^"\n]{1,200}"|«[^»\n]{1,200}»|“[^”\n]{1,200}”')


def _register(
    text: str, voice: VoiceProfile, locale: str, skip: _EntitySpans, folded: _Folded
) -> list[VoiceFinding]:
    language = locale.split("-")[0].lower()
    expected = voice.person_for(locale)
    out: list[VoiceFinding] = []
    if language == "it":
        cues = [c for c in _italian_cues(text, folded=folded) if not skip.holds(c.start)]
        if expected is GrammaticalPerson.VOI:
            wrong = cues
        else:
            wrong = [c for c in cues if c.person is not expected]
        used = {c.person for c in cues}
        mixed = len(used) > 1
        for c in wrong:
            reader = "Lei (formal)" if c.person is GrammaticalPerson.LEI else "tu (informal)"
            brand = {
                GrammaticalPerson.TU: "tu",
                GrammaticalPerson.LEI: "Lei",
                GrammaticalPerson.VOI: "voi",
            }.get(expected, expected.value)
            message = f"{c.word!r} addresses the reader with {reader}; the brand uses {brand}"
            if mixed:
                message += " (the text mixes tu and Lei)"
            suggestion = c.suggestion if expected is not GrammaticalPerson.VOI else None
            out.append(
                VoiceFinding(
                    rule=VoiceRule.REGISTER,
                    span=(c.start, c.end),
                    found=c.word,
                    message=message,
                    suggestion=suggestion,
                )
            )
        return out
    if language == "en":
        formal = voice.register is Register.FORMAL
        pattern = _EN_INFORMAL if formal else _EN_FORMAL
        for m in pattern.finditer(text):
            if skip.holds(m.start()):
                continue
            word = m.group(0)
            if formal:
                suggestion = _expand(word)
                message = f"{word!r} is informal; the brand's register is formal"
            else:
                suggestion = _EN_PLAIN.get(word.lower(), "say it plainly")
                message = f"{word!r} is stiffly formal; the brand's register is informal"
            out.append(
                VoiceFinding(
                    rule=VoiceRule.REGISTER,
                    span=(m.start(), m.end()),
                    found=word,
                    message=message,
                    suggestion=suggestion,
                    severity="warning",
                )
            )
    return out


_CONTRACTIONS = {
    "n't": " not",
    "'re": " are",
    "'ll": " will",
    "'ve": " have",
    "'d": " would",
    "'m": " am",
    "'s": " is",
}


def _expand(word: str) -> str:
    low = word.lower()
    if low in {"can't", "won't", "shan't"}:
        return {"can't": "cannot", "won't": "will not", "shan't": "shall not"}[low]
    for short, long in _CONTRACTIONS.items():
        if low.endswith(short):
            return word[: -len(short)] + long
    return "a more formal word"


class _EntitySpans:
    """The URL, hashtag and mention spans of a text, found when first asked: most texts give
    no cue and no capitals to ask about, and finding entities costs more than the rest."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans: _Spans | None = None

    def holds(self, position: int) -> bool:
        if self._spans is None:
            self._spans = _Spans(
                (e.start, e.end)
                for e in tx.entities(self._text)
                if e.kind in {"url", "hashtag", "mention"}
            )
        return self._spans.holds(position)


def lint_voice(
    text: str,
    voice: VoiceProfile,
    locale: str,
    *,
    sponsored: bool = False,
) -> list[VoiceFinding]:
    """Check ``text`` against the brand's voice; return the findings in text order.

    - banned terms (case- and accent-insensitive, on word boundaries, inflected forms too),
      with the preferred replacement when there is one; preferred terms;
    - the register: in Italian, the reader addressed with "tu" or "Lei" against the voice's
      :meth:`~smmkit.models.VoiceProfile.person_for` (pronouns and clitics such as "ti", "La",
      "Le"; possessives "tuo"/"Suo"; verbs; imperatives such as "prenota"/"prenoti"), in both
      directions; in English, contractions and slang in a formal voice, stiff formulas in an
      informal one;
    - the emoji policy (none, or a cap per post);
    - shouting: words in capitals, "!!!";
    - a sponsored text without a disclosure ("#adv", "pubblicità", "partnership a pagamento"
      in Italian, "#ad" in English, or the brand's own wording).

    ``locale`` is a language tag, written ``"it-IT"``, ``"it_IT"`` or ``"it"`` alike; a language
    CLDR does not know raises a :class:`~smmkit.errors.ValidationError` with a "did you mean".

    URLs, hashtags and mentions are not linted for register or shouting. Raises
    :class:`~smmkit.errors.ValidationError` only for misuse (a non-text, a bad voice or locale).
    Cost: linear in the text.
    """
    if not isinstance(text, str):
        raise ValidationError("text", text, "must be a string")
    if not isinstance(voice, VoiceProfile):
        raise ValidationError("voice", voice, "must be a VoiceProfile")
    locale = normalise_locale(locale)
    skip = _EntitySpans(text)
    findings: list[VoiceFinding] = []
    folded = _Folded(text)
    findings += _terms(text, voice, folded)
    findings += _register(text, voice, locale, skip, folded)
    findings += _emoji(text, voice)
    findings += _shouting(text, skip)
    if sponsored:
        wording = voice.disclosure_for(locale)
        span = find_disclosure(text, locale, wording)
        if span is None:
            findings.append(
                VoiceFinding(
                    rule=VoiceRule.DISCLOSURE,
                    span=None,
                    message="sponsored content without a disclosure",
                    suggestion=f"start the text with {wording!r}",
                )
            )
        elif span[0] > 125:
            findings.append(
                VoiceFinding(
                    rule=VoiceRule.DISCLOSURE,
                    span=span,
                    found=text[span[0] : span[1]],
                    message="the disclosure comes late and may be hidden behind 'more'",
                    suggestion=f"move {text[span[0] : span[1]]!r} to the start",
                    severity="warning",
                )
            )
    return sorted(findings, key=_order)


def _order(f: VoiceFinding) -> tuple[int, str]:
    return (f.span[0] if f.span else -1, f.rule.value)
