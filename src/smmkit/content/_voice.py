"""The brand-voice linter: banned and preferred terms, register, emoji, shouting, disclosure."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from enum import StrEnum
from itertools import accumulate
from typing import NamedTuple

import regex
from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import EmojiPolicy, GrammaticalPerson, Register, ValueModel, VoiceProfile

from . import _textapi as tx
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
)
# Spelling of the formal form: "cerca" -> "cerchi", "mangia" -> "mangi".
_HARD = {"cerc", "clicc", "tagg", "scaric", "gioc"}
_TU_ARE = {v if v.endswith("a") else v + "a" for v in _ARE_VERBS}
_TU_TO_LEI = {
    (v if v.endswith("a") else v + "a"): (
        v + "hi" if v in _HARD else v if v.endswith("i") else v.rstrip("a") + "i"
    )
    for v in _ARE_VERBS
}
# Formal forms that are also common nouns at a sentence start ("Consigli", "Gusti") are left
# out; so are tu forms that are also nouns ("Nota").
_LEI_ARE = set(_TU_TO_LEI.values()) - {"consigli", "gusti", "ricordi", "inizi", "pensi"}
_LEI_TO_TU = {lei: tu for tu, lei in _TU_TO_LEI.items()}
# Intransitive verbs whose 3rd person starts many sentences: "Torna il panettone!".
_INTRANSITIVE = {"torna", "passa", "entra", "inizia", "comincia", "arriva"}
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
}
_LEI_REFLEXIVE = {lei: tu for tu, lei in _TU_REFLEXIVE.items()}
_CONJUNCTIONS = {"se", "quando", "appena", "mentre", "finché", "perché", "dove", "così"}
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
)

_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’](?=[\p{L}]))?")
_SENTENCE_BREAK = re.compile(r"[.!?…:;\n]+")
_IT_1PL = regex.compile(r"^\p{L}+(?:iamo|remo|emmo)$")
_INFINITIVE = regex.compile(r"^\p{L}{2,}(?:are|ere|ire|rre)$")


class _Cue(NamedTuple):
    """A word (or two) that addresses the reader in one register."""

    start: int
    end: int
    word: str
    person: GrammaticalPerson
    suggestion: str | None


# A greeting ("Gentile cliente,"), tried where a sentence starts (after blanks). Searching for
# it everywhere after a break would rescan a run of blank lines from each line break in it.
_GREETING_AT = re.compile(
    r"\s*(?:gentil[ei]|car[aoie]|ciao|buongiorno|buonasera|salve|egregi[oa]|spettabile)\b"
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


def _italian_cues(text: str) -> list[_Cue]:
    tu, lei = GrammaticalPerson.TU, GrammaticalPerson.LEI
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    breaks = sorted(_sentence_starts(text))
    initial: set[int] = set()
    b = 0
    for i, (start, _end, _w) in enumerate(words):
        while b + 1 < len(breaks) and breaks[b + 1] <= start:
            b += 1
        previous_start = words[i - 1][0] if i else -1
        if previous_start < breaks[b]:
            initial.add(i)
    question_end = {m.start() for m in re.finditer(r"\?", text)}
    cues: list[_Cue] = []

    def sentence_is_question(index: int) -> bool:
        after = words[index][1]
        nxt = _SENTENCE_BREAK.search(text, after)
        return nxt is not None and nxt.start() in question_end

    for i, (start, end, raw) in enumerate(words):
        word = raw.rstrip("'’")
        elided = raw != word
        low = word.lower()
        nxt = words[i + 1][2].lower() if i + 1 < len(words) else ""
        first = i in initial
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
        if low in _TU_REFLEXIVE:
            cues.append(_Cue(start, end, raw, tu, _TU_REFLEXIVE[low]))
            continue
        if low in _ERE_IRE:
            cues.append(_Cue(start, end, raw, tu, _ERE_IRE[low]))
            continue
        clitic = next(
            (
                c
                for c in _CLITICS
                if low.endswith(c) and (low[: -len(c)] in _TU_ARE or low[: -len(c)] in _ERE_IRE)
            ),
            None,
        )
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
        ):
            cues.append(_Cue(start, end, raw, tu, low[:-2] + "La"))
            continue
        proper_next = i + 1 < len(words) and words[i + 1][2][:1].isupper()
        before = words[i - 1][2].lower() if i else ""
        if before in _CONJUNCTIONS and low in _LEI_ARE:
            cues.append(_Cue(start, end, raw, tu, _LEI_TO_TU.get(low)))  # "se passi"
            continue
        if (
            first
            and low in _TU_ARE
            and not sentence_is_question(i)
            and not proper_next
            and not (low in _INTRANSITIVE and nxt.rstrip("'’") in _ARTICLES)
        ):
            cues.append(_Cue(start, end, raw, tu, _lei_imperative(low)))
            continue
        if first and low == "non" and _INFINITIVE.match(nxt) and nxt not in {"essere"}:
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
            ):
                continue  # an article at the start of a sentence ("La torta")
            if word in {"Suo", "Sua", "Suoi", "Sue"} and first:
                continue  # "Sua madre": a third person at a sentence start
            if (
                word == "Lei"
                and first
                and nxt in {"è", "era", "sarà", "si"}
                and (i + 2 < len(words) and words[i + 2][2][:1].isupper())
            ):
                continue  # "Lei è Lucia": she, introduced by name
            cues.append(_Cue(start, end, raw, lei, _LEI_CAPITALS[word]))
            continue
        if word.endswith(("La", "Le")) and regex.match(r"^\p{Ll}+(?:ar|er|ir|r)L[ae]$", word):
            cues.append(_Cue(start, end, raw, lei, word[:-2] + "ti"))
            continue
        if first and low in _LEI_ERE_IRE:
            cues.append(_Cue(start, end, raw, lei, _LEI_ERE_IRE[low]))
            continue
        if first and low in _LEI_ARE and not sentence_is_question(i) and not proper_next:
            cues.append(_Cue(start, end, raw, lei, _LEI_TO_TU.get(low)))
            continue
        if first and low == "si" and f"si {nxt}" in _LEI_REFLEXIVE:
            _, e2, _ = words[i + 1]
            cues.append(_Cue(start, e2, text[start:e2], lei, _LEI_REFLEXIVE[f"si {nxt}"]))
            continue
        if (
            first
            and low in {"si", "ci", "lo", "la", "li", "le", "ne"}
            and (nxt in _LEI_ARE or nxt in _LEI_ERE_IRE)
        ):
            _, e2, _ = words[i + 1]
            tu_form = _LEI_ERE_IRE.get(nxt) or _LEI_TO_TU.get(nxt, nxt)
            suggestion = tu_form + ("ti" if low == "si" else low)
            cues.append(_Cue(start, e2, text[start:e2], lei, suggestion))
            continue
        if first and low in _LEI_VERBS_START and _INFINITIVE.match(nxt) and nxt != "essere":
            cues.append(_Cue(start, end, raw, lei, _LEI_VERBS_START[low]))
            continue
    # formulas (greetings and set phrases)
    folded, index = fold_with_map(text)
    word_cues = _Spans((c.start, c.end) for c in cues)
    for phrase, tu_phrase in _FORMULAS:
        for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", folded):
            s, e = index[m.start()], index[m.end()]
            if not word_cues.holds(s):
                cues.append(_Cue(s, e, text[s:e], lei, tu_phrase))
    cues.sort(key=lambda c: c.start)
    return cues


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


def _shouting(text: str, skip: _Spans) -> list[VoiceFinding]:
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


def _terms(text: str, voice: VoiceProfile) -> list[VoiceFinding]:
    if not voice.banned_terms and not voice.preferred_terms:
        return []
    folded, index = fold_with_map(text)
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


def _register(text: str, voice: VoiceProfile, locale: str, skip: _Spans) -> list[VoiceFinding]:
    language = locale.split("-")[0].lower()
    expected = voice.person_for(locale)
    out: list[VoiceFinding] = []
    if language == "it":
        cues = [c for c in _italian_cues(text) if not skip.holds(c.start)]
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


def _entity_spans(text: str) -> _Spans:
    return _Spans(
        (e.start, e.end) for e in tx.entities(text) if e.kind in {"url", "hashtag", "mention"}
    )


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
    skip = _entity_spans(text)
    findings: list[VoiceFinding] = []
    findings += _terms(text, voice)
    findings += _register(text, voice, locale, skip)
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
