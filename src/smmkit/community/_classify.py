"""Classify a message from the public: spam, abuse, question, complaint, praise, lead or other.

The default classifier is deterministic, works offline and explains itself: every
:class:`Classification` lists the cues that fired (``"it:insult:stronz*"``, ``"link:shortener"``,
``"question-mark"``). How it works, in one pass over the text:

1. **Normalise**: Unicode compatibility forms folded (𝐟𝐫𝐞𝐞 → free), accents removed (perché →
   perche), look-alike letters mapped (Cyrillic о → o), zero-width characters dropped, lowercase,
   English contractions expanded (don't → do not). Links are taken out with
   :func:`smmkit.text.extract_urls_with_indices` (linear) and judged on their own (shorteners).
2. **Words**: obfuscation folded (``idi0ta`` → idiota, ``st*onzo`` → stronzo, ``c.a.z.z.o`` →
   cazzo), slang expanded (``xké`` → perché, ``cmq`` → comunque, ``nn`` → non), repeated letters
   squeezed (``buonissimoooo`` → buonissimo).
3. **Lexicons** (:mod:`._lexicon`): words, stems (Italian inflection: ``schif*``) and phrases,
   longest match first, each adding its weight to a category or a signal; a praise word after a
   negation ("non è buono", "not good") counts as criticism.
4. **Decision**, in order: spam (strong evidence only: spam precision matters more than recall),
   abuse (insults aimed at people; contempt with nothing concrete; threats, a menace under a
   condition such as "se non mi rimborsate vengo lì e..."; an animal said of a person, "sei un
   cane", not "ci sono topi"; a person judged, "il gestore è un essere viscido"), then
   complaint, lead, question, praise, other. Praise next to criticism, 👏 or "grazie eh" is
   read as sarcasm.

Every step is linear in the length of the text (the only regular expression is a run of one
character class), and a message is cut at :data:`MAX_CHARS` characters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageCategory, ValueModel

if TYPE_CHECKING:
    from ._learned import EnsembleClassifier
from smmkit.text import extract_urls_with_indices

from ._lang import LANGUAGES, language_of_words
from ._lexicon import LEXICON, SHORTENERS, SLANG
from ._people import names_a_person

__all__ = [
    "DEFAULT_CLASSIFIER",
    "MAX_CHARS",
    "Classification",
    "Classifier",
    "RuleClassifier",
    "classify",
    "classify_message",
    "detect_language",
]

MAX_CHARS = 100_000
"""Characters of a message that are read; the rest is ignored (a cue says so)."""

_MAX_CUES = 24
_MAX_STEM = 16


class Classification(ValueModel):
    """What a message is about, in which language, how sure, and why.

    ``confidence`` is in [0, 1]; ``cues`` are the signals that fired, human-readable
    (``"it:insult:stronz*"``, ``"link:shortener:bit.ly"``, ``"sarcasm:clap"``)."""

    category: MessageCategory
    language: str = Field(pattern=r"^(it|en|und)$")
    confidence: float = Field(ge=0.0, le=1.0)
    cues: tuple[str, ...] = ()


@runtime_checkable
class Classifier(Protocol):
    """Anything that classifies an inbox message: the default rules, a scikit-learn model, a
    hosted language model. Implement ``classify`` and pass the object where a classifier is
    taken."""

    def classify(self, message: InboxMessage) -> Classification:
        """The message's category, language, confidence and cues."""
        ...


# -------------------------------------------------------------------------------------------
# Lexicon index
# -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Entry:
    lang: str
    cue: str
    feature: str
    weight: float
    text: str


_Element = tuple[str, bool]  # (word, is a stem)
_Pattern = tuple[_Element, ...]


@dataclass(slots=True)
class _Index:
    exact: dict[str, list[tuple[_Pattern, tuple[_Entry, ...]]]] = field(default_factory=dict)
    stem: dict[str, list[tuple[_Pattern, tuple[_Entry, ...]]]] = field(default_factory=dict)
    stem_lengths: tuple[int, ...] = ()
    words: frozenset[str] = frozenset()
    masked_words: frozenset[str] = frozenset()


_MASK_FEATURES = frozenset({"abuse", "contempt", "mild", "spam"})


_ENTRY_NOT = {
    "don": "do",
    "doesn": "does",
    "didn": "did",
    "isn": "is",
    "wasn": "was",
    "aren": "are",
    "weren": "were",
    "haven": "have",
    "hasn": "has",
    "hadn": "had",
    "won": "will",
    "can": "can",
    "couldn": "could",
    "wouldn": "would",
    "shouldn": "should",
}
_PRONOUNS = frozenset(["i", "you", "we", "they", "he", "she", "it", "that", "who", "there"])
_ENTRY_SHORT = {"d": "would", "ll": "will", "re": "are", "ve": "have", "m": "am"}


def _expand_contractions(words: list[str]) -> list[str]:
    """A lexicon entry written as the text is spoken ("i d like", "don t") in the form the
    text takes after normalisation ("i would like", "do not")."""
    out: list[str] = []
    for word in words:
        if word == "t" and out and out[-1] in _ENTRY_NOT:
            out[-1] = _ENTRY_NOT[out[-1]]
            out.append("not")
        elif (
            word in _ENTRY_SHORT
            and out
            and out[-1] in _PRONOUNS
            and (word != "m" or out[-1] == "i")
        ):
            out.append(_ENTRY_SHORT[word])
        else:
            out.append(word)
    return out


def _build_index() -> _Index:
    patterns: dict[_Pattern, list[_Entry]] = {}
    for lang, cue, feature, weight, entries in LEXICON:
        for raw in entries.split("|"):
            text = raw.strip()
            if not text:
                continue
            words = _expand_contractions(_fold(text).split())
            pattern = tuple((w[:-1], True) if w.endswith("*") else (w, False) for w in words)
            patterns.setdefault(pattern, []).append(_Entry(lang, cue, feature, weight, text))
    index = _Index()
    lengths: set[int] = set()
    all_words: set[str] = set()
    masked: set[str] = set()
    for pattern, found in patterns.items():
        first, is_stem = pattern[0]
        target = index.stem if is_stem else index.exact
        target.setdefault(first, []).append((pattern, tuple(found)))
        if is_stem:
            lengths.add(len(first))
        for word, stem in pattern:
            all_words.add(word)
            if any(e.feature in _MASK_FEATURES for e in found):
                if stem:
                    masked.update(word + end for end in ("", "o", "a", "i", "e", "s"))
                else:
                    masked.add(word)
    index.stem_lengths = tuple(sorted(lengths))
    index.words = frozenset(all_words)
    index.masked_words = frozenset(masked)
    return index


_MASK_MAP: dict[str, str] | None = None


def _masked_lookup(token: str) -> str | None:
    """The lexicon word a masked token stands for (``st*onzo`` → stronzo), or None.

    The table of masked forms (every word with one run of 1-3 inner letters replaced by one
    ``*`` or by as many ``*``) is built on first use."""
    global _MASK_MAP
    if _MASK_MAP is None:
        table: dict[str, str] = {}
        for word in sorted(_INDEX.masked_words):
            n = len(word)
            for start in range(1, n):
                for run in range(1, 4):
                    if start + run > n:
                        break
                    for mask in ("*", "*" * run):
                        table.setdefault(word[:start] + mask + word[start + run :], word)
        _MASK_MAP = table
    return _MASK_MAP.get(token)


# -------------------------------------------------------------------------------------------
# Normalisation
# -------------------------------------------------------------------------------------------
_DROP = dict.fromkeys(
    [*range(0x0300, 0x0370), 0xFE0E, 0xFE0F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]
)
_LOOKALIKES = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "х": "x",
    "у": "y",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ο": "o",
    "α": "a",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "τ": "t",
    "’": "'",
    "‘": "'",
    "`": "'",
    "´": "'",
}
_TABLE: dict[int, str | None] = {**_DROP, **{ord(k): v for k, v in _LOOKALIKES.items()}}
_CONTRACTIONS = (
    ("can't", "can not"),
    ("won't", "will not"),
    ("n't", " not"),
    ("'m ", " am "),
    ("'re ", " are "),
    ("'ve ", " have "),
    ("'ll ", " will "),
    ("'d ", " would "),
)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s"})
# A run of word characters (or the masks used to hide letters), or any other single character.
# One character class repeated: no backtracking, linear time.
_TOKEN = re.compile(r"[\w*@#$]+|[^\w\s]")
_NEGATIONS = _wordset(
    "non not never mai no nessun nessuna niente nothing nemmeno neanche neppure hardly"
)
_TIME_UNITS = _wordset(
    "min minuti minuto mins minutes minute ore ora hours hour hrs h giorni giorno days day"
    " settimane settimana weeks week mesi mese months month"
)
# Criticism words that, negated, are praise ("non avete deluso", "not bad at all").
_FLIPPABLE = frozenset(
    ["disappoint*", "deluso", "delusa", "delusi", "deluse", "bad", "badly", "male", "cattiv*"]
)
_BOUNDARIES = frozenset(',;:!?.()[]"')
_WANT_WORDS = _wordset("need want servono serve vorrei vorremmo prendo prendiamo ordino")
_AUDIENCE_WORDS = _wordset(
    "follower followers like likes views visualizzazioni iscritti subscribers subs reviews"
    " recensioni"
)
_MONEY_WORDS = _wordset("euro eur dollars dollari usd bucks k mila grand")
# A question about the rules or the conditions ("si può portare il cane?", "are dogs allowed?",
# "do I need an appointment?") asks for information, not to buy: a word of permission,
# possibility or requirement, and none of what a buyer says (a wish, a purchase verb, a price,
# availability, a quantity, "for me"). A purchase verb right after a requirement ("bisogna
# prenotare", "need to book") is what the rule is about, not a purchase.
_CONDITION_WORDS = _wordset(
    "puo possono possibile consentito consentita consentiti ammesso ammessa ammessi ammesse"
    " permesso permessi accettate accettano accetta vale valido valida incluso inclusa inclusi"
    " compreso compresa compresi can could possible allowed permitted accept accepted take"
    " included suitable policy minimum"
)
_REQUIREMENT_WORDS = _wordset(
    "bisogna serve necessario necessaria necessari obbligatorio obbligatoria obbligatori devo"
    " dobbiamo need needed required necessary must"
)
_PURCHASE_WORDS = _wordset(
    "prenotare prenoto prenotiamo ordinare ordino ordiniamo comprare compro acquistare riservare"
    " noleggiare affittare iscrivermi iscriverci iscrivo book booked order ordering buy buying"
    " reserve reserved hire hiring rent renting purchase sign enrol enroll"
)
# The Italian conditional of the first person ("ordinerei", "prenoteremmo", "vorrei") is a
# polite wish, what a buyer writes; only the modals of possibility and duty are not.
_CONDITIONAL_ENDINGS = ("rei", "remmo")
_MODAL_CONDITIONALS = _wordset("potrei potremmo dovrei dovremmo sarei saremmo avrei avremmo")
_BUYER_WORDS = _wordset(
    "vorrei vorremmo voglio vogliamo prendo prendiamo prezzo prezzi costa costano costo quanto"
    " quanti quanta quante preventivo preventivi posto posti disponibile disponibili"
    " disponibilita tenete tenermi tenerci like want interested interessato interessata"
    " interessati price prices cost costs much quote quotes rate rates save hold aside fit"
    " available availability stock fee fees"
)
# A wish ("spero che", "mi auguro", "hope", "wish") is read by what it wishes: harm to the
# people addressed ("spero che vi chiudano", "hope your shop burns down") is a threat; anything
# else good ("spero che riapriate presto", "hope you get well soon") is goodwill, whatever the
# model makes of "hope".
_WISH_WORDS = _wordset("spero speriamo auguro augura auguriamo hope hoping wish")
_WISH_SPAN = 12
_WISH_TARGETS = _wordset(
    "vi voi vostro vostra vostri vostre ti te tuo tua tuoi tue you your yours yourself yourselves"
)
_HARM_STEMS = (
    "fall",  # falliate, fallire, fallimento
    "chiud",
    "brucia",
    "bruci",
    "crep",
    "mor",  # moriate, morire
    "affond",
    "allag",
    "sprofond",
    "malat",
    "ammal",
    "rovin",
    "burn",
    "bust",
    "die",
    "dies",
    "rot",
    "shut",
    "close",
    "flood",
    "sink",
    "fail",
    "poison",
    "suffer",
    "soffr",
    "chok",
    "soffoch",
    "strozz",
)
_GOOD_WISH_WORDS = _wordset(
    "presto bene meglio piaccia piacciano riapriate successo fortuna guarisci guarite auguri"
    " soon well better enjoy reopen success luck best lovely great"
)


def _wishes(words: Sequence[str], found: _Analysis) -> None:
    """Read each wish by what follows it (up to the next comma, at most ``_WISH_SPAN`` words):
    linear, since each word is read by at most one wish."""
    n = len(words)
    at = 0
    while at < n:
        if words[at] not in _WISH_WORDS:
            at += 1
            continue
        end = min(n, at + 1 + _WISH_SPAN)
        # "vi auguro di fallire", "ti auguro": the people wished upon come before the wish
        target = at > 0 and words[at - 1] in _WISH_TARGETS
        harm = good = False
        k = at + 1
        while k < end and words[k] != ",":
            word = words[k]
            # the second person plural of the subjunctive ("falliate", "chiudiate") is a target
            target = (
                target
                or word in _WISH_TARGETS
                or word.endswith("iate")
                or names_a_person((word,))  # "hope the owner chokes on..."
            )
            harm = harm or word.startswith(_HARM_STEMS)
            good = good or word in _GOOD_WISH_WORDS
            k += 1
        found.work += k - at
        if harm and target:
            found.add("abuse", 3.0, f"wish:harm:{words[at]}")
        elif good and not harm:
            found.add("praise", 1.5, f"wish:good:{words[at]}")
        elif not target:
            found.cue(f"wish:not-aimed:{words[at]}")  # "hope the roadworks end soon"
        at = k


_FOR_ME = frozenset(  # the writer's own purchase, or delivery to a place of theirs
    [("for", "me"), ("for", "us"), ("per", "me"), ("per", "noi")]
    + [(verb, "to") for verb in ("deliver", "ship", "send", "post")]
    + [(verb, p) for verb in ("spedite", "consegnate", "spedisci") for p in ("a", "in")]
)
# Verbs of earning: followed by an amount they are an earnings claim ("guadagni 2000 al mese",
# "I made $3k last week"), the bait of money schemes. The Italian verb is about money whatever
# the number; "make" and "withdraw" need the number to be money (a currency sign or word, "10k").
_EARN_IT = frozenset(["guadagno", "guadagni", "guadagna", "guadagnato", "guadagnare"])
_EARN_IT_MORE = frozenset(["guadagnano", "guadagnate", "guadagniamo", "guadagnando"])
_EARN_EN = _wordset("earn earns earned earning")
# A budget ("sotto i 900 euro", "under £900", "budget di 500 euro") is what a buyer states.
_BUDGET_WORDS = _wordset("under below max massimo budget sotto")
_MAKE_EN = _wordset("make makes made making withdrew withdrawn ritirato prelevato")
_BAIT_HOSTS = (
    "outlet",
    "original",
    "cheap",
    "deal",
    "offert",
    "sconti",
    "discount",
    "verify",
    "verifica",
    "support",
    "help",
    "appeal",
    "copyright",
    "bonus",
    "regalo",
    "gift",
    "free",
    "promo",
    "winner",
    "vinci",
    "premio",
    "login",
    "secure",
    "recovery",
    "redelivery",
    "giacenz",
    "paypal.me",
    "gofundme",
)
_GREETINGS = _wordset(
    "ciao salve buongiorno buonasera scusate scusa raga ragazzi ma hi hello hey sorry guys morning"
    " evening please ehi"
)
_CONTRAST = frozenset(["ma", "but", "pero", "however", "though", "although", "peccato"])
_OPENERS = _wordset(
    "what when where which how why is are do does did can could will would should any"
    " quando dove come qual quale quali quanto quanta quanti quante perche avete fate siete"
    " posso possiamo potete si ce e sapete accettate"
)
_PROMO_HANDLE = (
    "promo",
    "follow",
    "boost",
    "free",
    "cash",
    "crypto",
    "bot",
    "gratis",
    "earn",
    "hack",
    "recover",
    "recuper",
    "verif",
    "agency",
    "growth",
    "explore",
    "viral",
    "collab",
    "support",
    "assist",
    "recupero",
)

_POSITIVE_EMOJI = frozenset(
    "😍🥰😘❤♥💕💖💗💓💞💘💝🧡💛💚💙💜🤍🤎🔥👏🙌💯😋🤤😊☺😃😄😁🤩⭐🌟✨🎉🥳🤗😻💪🏆🥇👑🌹💐😎🍾🥂"
)
_NEGATIVE_EMOJI = frozenset("😡🤬😠👎🤮🤢💩😤😒🙄😞😔😢😭😩😫☹🙁😣😖😑💔😱")
_ABUSIVE_EMOJI = {"🖕": 2, "🤡": 1}
_QUESTION_EMOJI = frozenset("❓❔🤔")
_SARCASM_EMOJI = frozenset("👏🙄🙃")


def _is_number(word: str) -> bool:
    return word.isdigit() or (len(word) > 1 and word[:-1].isdigit() and word[-1] in "hk")


def _fold(text: str) -> str:
    """Compatibility forms, accents, look-alikes and invisible characters folded; lowercase.
    Linear (C-level passes)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_TABLE)
    return text.lower()


def _squeeze(word: str, keep: int) -> str:
    """Runs of three or more equal letters cut to ``keep`` letters (1 or 2); pairs kept."""
    out: list[str] = []
    at = 0
    n = len(word)
    while at < n:
        end = at + 1
        while end < n and word[end] == word[at]:
            end += 1
        out.append(word[at] * (keep if end - at >= 3 else end - at))
        at = end
    return "".join(out)


def _has_run3(word: str) -> bool:
    prev = ""
    run = 0
    for char in word:
        run = run + 1 if char == prev else 1
        prev = char
        if run >= 3:
            return True
    return False


def _host(url: str) -> str:
    at = url.find("://")
    rest = url[at + 3 :] if at >= 0 else url
    for stop in "/?#:":
        cut = rest.find(stop)
        if cut >= 0:
            rest = rest[:cut]
    rest = rest.lower()
    return rest[4:] if rest.startswith("www.") else rest


# -------------------------------------------------------------------------------------------
# Analysis
# -------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Analysis:
    """What the reading of a message found; ``work`` counts the elementary steps (characters
    read plus lookups), so tests can check that the work is linear without timing it."""

    words: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    cues: list[str] = field(default_factory=list)
    votes: dict[str, float] = field(default_factory=lambda: {"it": 0.0, "en": 0.0})
    emoji_positive: int = 0
    emoji_negative: int = 0
    emoji_abusive: int = 0
    emoji_question: int = 0
    emoji_sarcasm: int = 0
    emoji_other: int = 0
    questions: int = 0
    links: int = 0
    shorteners: int = 0
    mentions: int = 0
    promo_handles: int = 0
    suspicious_links: int = 0
    money: int = 0
    contrast: bool = False
    negation: bool = False
    leading_mention: bool = False
    opens_with_question: bool = False
    waits: int = 0
    earnings: bool = False
    budget: bool = False
    judged: bool = False
    word_count: int = 0
    truncated: bool = False
    work: int = 0

    def add(self, feature: str, weight: float, cue: str) -> None:
        self.scores[feature] = self.scores.get(feature, 0.0) + weight
        self.cue(cue)

    def cue(self, cue: str) -> None:
        if len(self.cues) < _MAX_CUES and cue not in self.cues:
            self.cues.append(cue)

    def score(self, feature: str) -> float:
        return self.scores.get(feature, 0.0)


_INDEX = _build_index()
_TOKEN_CACHE: dict[str, tuple[tuple[str, ...], str]] = {}
_TOKEN_CACHE_MAX = 50_000


def _single_match(word: str) -> bool:
    if word in _INDEX.exact:
        return True
    for length in _INDEX.stem_lengths:
        if length > len(word):
            break
        if word[:length] in _INDEX.stem:
            return True
    return False


def _prepare_word(part: str) -> tuple[tuple[str, ...], str]:
    """One raw word (already folded) → the words to match, and a cue if it was rewritten."""
    cached = _TOKEN_CACHE.get(part)
    if cached is not None:
        return cached
    cue = ""
    word = part
    if any(c in word for c in "*@#$"):
        core = word.replace("$", "s").replace("@", "*").replace("#", "*").strip("*")
        if not core:
            empty: tuple[tuple[str, ...], str] = ((), "")
            _remember(part, empty)
            return empty
        if "*" in core:
            found = _masked_lookup(core)
            word = found if found is not None else core.replace("*", "")
        else:
            word = core
        cue = f"obfuscated:{part}"
    if (
        word not in SLANG
        and not word.isalpha()
        and any(c.isalpha() for c in word)
        and any(c.isdigit() for c in word)
    ):
        chars = list(word)
        for at in range(1, len(chars)):
            if chars[at].isdigit() and chars[at - 1].isalpha():
                chars[at] = chars[at].translate(_LEET)
        folded = "".join(chars)
        if folded != word:
            cue = cue or f"leet:{part}"
            word = folded
    expanded = SLANG.get(word)
    if expanded is not None:
        words = tuple(expanded.split())
        result: tuple[tuple[str, ...], str] = (
            words,
            f"slang:{word}" if len(word) > 1 else "",
        )
        _remember(part, result)
        return result
    if _has_run3(word):
        one = _squeeze(word, 1)
        two = _squeeze(word, 2)
        word = one if _single_match(one) or not _single_match(two) else two
        if one in SLANG:
            word = SLANG[one]
    result = ((word,), cue)
    _remember(part, result)
    return result


def _remember(part: str, result: tuple[tuple[str, ...], str]) -> None:
    if len(_TOKEN_CACHE) >= _TOKEN_CACHE_MAX:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[part] = result


def _read(text: str) -> _Analysis:
    """Normalise, tokenise and match the lexicons: O(len(text))."""
    found = _Analysis()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        found.truncated = True
        found.cue("truncated")
    found.work += len(text)
    folded = _fold(text)
    if "'" in folded:
        for old, new in _CONTRACTIONS:
            folded = folded.replace(old, new)
        folded = folded.replace("'", " ")
    if "." in folded:
        urls = extract_urls_with_indices(folded)
        if urls:
            pieces: list[str] = []
            last = 0
            for url in urls:
                pieces.append(folded[last : url.start])
                pieces.append(" ")
                last = url.end
                host = _host(url.value)
                found.links += 1
                if host in SHORTENERS:
                    found.shorteners += 1
                    found.cue(f"link:shortener:{host}")
                elif any(bait in host for bait in _BAIT_HOSTS):
                    found.suspicious_links += 1
                    found.cue(f"link:bait-domain:{host[:40]}")
                else:
                    found.cue("link")
            pieces.append(folded[last:])
            folded = "".join(pieces)
    words: list[str] = []
    single_run: list[str] = []

    def flush_singles() -> None:
        if len(single_run) >= 4:
            joined = "".join(single_run)
            words.append(joined)
            found.cue(f"spaced:{' '.join(single_run)}")
        else:
            words.extend(single_run)
        single_run.clear()

    for token in _TOKEN.findall(folded):
        found.work += 1
        first = token[0]
        if len(token) == 1 and not (first.isalnum() or first == "_"):
            if first == "?":
                found.questions += 1
            elif first in _POSITIVE_EMOJI:
                found.emoji_positive += 1
            elif first in _NEGATIVE_EMOJI:
                found.emoji_negative += 1
            elif first in _ABUSIVE_EMOJI:
                found.emoji_abusive += _ABUSIVE_EMOJI[first]
            elif first in _QUESTION_EMOJI:
                found.emoji_question += 1
            elif first in "€£$":
                found.money += 1
            elif unicodedata.category(first) == "So":
                found.emoji_other += 1
            if first in _SARCASM_EMOJI:
                found.emoji_sarcasm += 1
            if first in _BOUNDARIES and not single_run and words and words[-1] != ",":
                words.append(",")  # phrases and negations do not cross punctuation
            continue
        if first == "$" and token[1:2].isdigit():
            found.money += 1
            token = token[1:]
        if first == "@" and len(token) > 1:
            flush_singles()
            if not words and not single_run:
                found.leading_mention = True
            found.mentions += 1
            handle = token[1:]
            if any(p in handle for p in _PROMO_HANDLE):
                found.promo_handles += 1
                found.cue(f"mention:promo-handle:@{handle[:30]}")
            words.append("@")
            continue
        if first == "#":
            token = token.lstrip("#")
            if not token:
                continue
        for part in token.split("_"):
            if not part:
                continue
            if len(part) == 1 and part.isalpha() and part not in SLANG:
                single_run.append(part)
                continue
            flush_singles()
            prepared, cue = _prepare_word(part)
            if cue:
                found.cue(cue)
            words.extend(prepared)
    flush_singles()
    found.words = words
    found.word_count = sum(1 for w in words if w != ",")
    found.contrast = any(w in _CONTRAST for w in words)
    found.negation = any(w in _NEGATIONS for w in words)
    opening = [w for w in words[:4] if w != "," and w not in _GREETINGS]
    found.opens_with_question = bool(opening) and opening[0] in _OPENERS
    _match(words, found)
    _wishes(words, found)
    _whereabouts(words, found)
    _kin(words, found)
    if found.score("mild") or found.score("contempt") or found.score("animal"):
        _judgements(words, found)  # read only by what these make of a person judged
    return found


_Candidate = tuple[_Pattern, tuple[_Entry, ...], int, tuple[int, int, int]]
_WORD_MEMO: dict[str, tuple[tuple[_Candidate, ...], int, bool]] = {}


def _patterns_at(word: str) -> tuple[list[tuple[_Pattern, tuple[_Entry, ...]]], int]:
    """The lexicon patterns whose first element matches ``word`` (exact, then by stem length),
    and the number of stem look-ups."""
    candidates = list(_INDEX.exact.get(word, ()))
    steps = 0
    for length in _INDEX.stem_lengths:
        if length > len(word) or length > _MAX_STEM:
            break
        steps += 1
        more = _INDEX.stem.get(word[:length])
        if more:
            candidates.extend(more)
    return candidates, steps


def _superlative_bases(word: str) -> tuple[str, ...]:
    """The adjective an Italian absolute superlative is made from, in the forms it may take
    ("fermissima" → fermo, ferma, ferme; "benissimo" → bene; "ricchissimi" → ricco)."""
    stem = word[:-6]
    if stem == "ben":
        return ("bene",)
    if stem.endswith(("ch", "gh")):
        stem = stem[:-1]
    return (stem + "o", stem + "a", stem + "e", stem + "i")


def _lookup(word: str) -> tuple[tuple[_Candidate, ...], int, bool]:
    """The lexicon patterns that may start at ``word`` (exact, then by stem length; an Italian
    superlative the lexicon does not know as a word is read as its adjective, "lentissima" as
    lento, and as a hint of praise when the adjective is not known either: superlatives in
    comments mostly praise), each with its size and rank, the number of stem look-ups that
    took, and whether ``word`` is a number; remembered (bounded like :data:`_TOKEN_CACHE`)."""
    memo = _WORD_MEMO.get(word)
    if memo is not None:
        return memo
    candidates, steps = _patterns_at(word)
    if len(word) > 8 and word[-6:-1] == "issim" and all(len(p) > 1 for p, _ in candidates):
        for base in _superlative_bases(word):
            known, more = _patterns_at(base)
            steps += more
            known = [(p, e) for p, e in known if len(p) == 1]
            if known:
                break
        else:
            known = [(((word, False),), (_Entry("it", "superlative", "praise", 1.0, word),))]
        candidates.extend(known)
    memo = (
        tuple(
            (
                pattern,
                entries,
                len(pattern),
                (len(pattern), 0 if pattern[0][1] else 1, len(pattern[0][0])),
            )
            for pattern, entries in candidates
        ),
        steps,
        _is_number(word),
    )
    if len(_WORD_MEMO) >= _TOKEN_CACHE_MAX:
        _WORD_MEMO.clear()
    _WORD_MEMO[word] = memo
    return memo


def _earnings(words: Sequence[str], at: int, found: _Analysis) -> None:
    """An amount at ``at`` after a verb of earning (one word may come between, not a comma)."""
    for back in (1, 2):
        if at - back < 0 or words[at - back] == ",":
            return
        verb = words[at - back]
        if verb in _EARN_IT or verb in _EARN_IT_MORE or verb in _EARN_EN:
            money = True
        elif verb in _MAKE_EN:
            amount = words[at]
            after = words[at + 1] if at + 1 < len(words) else ""
            large = amount.endswith("k") or (amount.isdigit() and int(amount[:7]) >= 100)
            money = large and (found.money > 0 or after in _MONEY_WORDS or amount.endswith("k"))
        else:
            continue
        if money:
            found.earnings = True
            found.add("spam", 3.0, f"spam:earnings:{verb} {words[at]}")
        return


def _budget(words: Sequence[str], at: int, found: _Analysis) -> None:
    """An amount of money at ``at`` after a word of budget (one word may come between)."""
    after = words[at + 1] if at + 1 < len(words) else ""
    if not (found.money or after in _MONEY_WORDS):
        return
    for back in (1, 2):
        if at - back < 0 or words[at - back] == ",":
            return
        if words[at - back] in _BUDGET_WORDS:
            found.budget = True
            found.add("lead", 3.0, f"lead:budget:{words[at - back]} {words[at]}")
            return


_COPULAS = _wordset("e sei siete sono is are am was were be like come")
_ARTICLES = _wordset("un una uno dei degli delle a an the")
_THERE = _wordset("there ci")
_INVERTED = _wordset("is are am was were be")


def _said_of_someone(words: Sequence[str], at: int, word_count: int) -> bool:
    """Whether the animal at ``words[at]`` is said of someone: after a copula or a comparison,
    with or without an article ("sei un cane", "are pigs", "like animals", "come bestie"),
    not after "there are" / "ci sono"; or a message of one or two words ("Maiali!"). Reads at
    most three words back."""
    if word_count <= 2:
        return True
    before = [w for w in words[max(0, at - 3) : at] if w not in _BOUNDARIES]
    article = bool(before) and before[-1] in _ARTICLES
    if article:
        before.pop()
    if not before or before[-1] not in _COPULAS:
        return False
    if before[-1] == "e" and not article:
        return False  # "gatti e cani": "e" is "and" unless an article follows ("è un cane")
    copula = at - 1 - (words[at - 1] in _ARTICLES)
    if before[-1] in _INVERTED and (copula == 0 or words[copula - 1] in _BOUNDARIES):
        return False  # "Are dogs allowed?", "Is a dog ok?": a question, not a judgement
    return not (len(before) >= 2 and before[-2] in _THERE)


_JUDGING = _wordset("e is sono are was were")
_JUDGED_SPAN = 5


def _judgements(words: Sequence[str], found: _Analysis) -> None:
    """A person named, then a copula and an indefinite article ("il gestore è un essere...",
    "the manager is a ...", "quei camerieri sono dei..."): what follows is said of a person.
    Linear: each copula looks back at most ``_JUDGED_SPAN`` words, up to a comma."""
    for at in range(1, len(words) - 1):
        if words[at] not in _JUDGING or words[at + 1] not in _ARTICLES:
            continue
        start = at
        while start > 0 and at - start < _JUDGED_SPAN and words[start - 1] not in _BOUNDARIES:
            start -= 1
        found.work += at - start
        if start < at and names_a_person(words[start:at]):
            found.judged = True
            found.cue(f"judged:{words[at]} {words[at + 1]}")
            return


# Knowing where or when someone can be found: "know where/which/when/what time",
# "so/sappiamo dove/quando/a che ora".
_KNOW_EN = _wordset("know knew")
_KNOW_IT = _wordset("so sappiamo")
_KNOW = _KNOW_EN | _KNOW_IT
_WHERE_EN = _wordset("where which when")
_WHERE_IT = _wordset("dove quando quale quali")
_WHAT_TIME = frozenset([("what", "time"), ("a", "che"), ("in", "che"), ("in", "quale")])
# Verbs of a person's whereabouts ("where she lives", "what time he finishes", "a che ora
# stacca"): the Italian forms are of a person, the English ones need a person named.
_WHEREABOUTS_IT = _wordset(
    "abita abiti abitate abitano lavora lavori lavorate lavorano stacca stacchi staccate"
    " staccano parcheggia parcheggi parcheggiate dorme dormi vive vivi vivete esce esci uscite"
)
_WHEREABOUTS_EN = _wordset(
    "lives live works work finishes finish parks park sleeps sleep leaves drives walks clocks"
    " stays goes go"
)
_THIRD_PERSON = _wordset("he she they his her their him them lui lei loro")
_WHEREABOUTS_SPAN = 10


def _knows_where(words: Sequence[str], at: int) -> bool:
    word, after = words[at], words[at + 1]
    if word in _KNOW_EN:
        return after in _WHERE_EN or (after, words[at + 2]) == ("what", "time")
    if word in _KNOW_IT:
        return after in _WHERE_IT or (after, words[at + 2]) in _WHAT_TIME
    return False


def _whereabouts(words: Sequence[str], found: _Analysis) -> None:
    """A veiled threat: the writer knows where or when a person can be found ("I know which
    hostel the night manager works at and what time she finishes", "so dove parcheggia"); not
    in a question, not negated ("non so dove abita"). Linear: each "know" reads at most
    ``_WHEREABOUTS_SPAN`` words after it."""
    if found.questions or _KNOW.isdisjoint(words):
        return
    n = len(words)
    for at in range(n - 2):
        if words[at] not in _KNOW or not _knows_where(words, at):
            continue
        if at and words[at - 1] in _NEGATIONS:
            continue
        end = min(n, at + 2 + _WHEREABOUTS_SPAN)
        span = words[at + 1 : end]
        found.work += len(span)
        person = names_a_person(span) or any(w in _THIRD_PERSON for w in span)
        for word in span:
            if word == ",":
                break
            if word in _WHEREABOUTS_IT or (person and word in _WHEREABOUTS_EN):
                found.add("whereabouts", 3.0, f"threat:whereabouts:{words[at]} {word}")
                return


_YOUR = _wordset("tua tuo tue tuoi vostra vostro vostri vostre your")
_KIN = _wordset(
    "moglie marito figlia figlio figlie figli bambini famiglia madre padre wife husband daughter"
    " daughters son sons kids children family mum mom dad"
)


def _kin(words: Sequence[str], found: _Analysis) -> None:
    """The reader's family ("tua moglie", "le tue figlie", "your kids"): with a menace, a
    threat. One look back per word."""
    if _KIN.isdisjoint(words):
        return
    for at in range(1, len(words)):
        if words[at] in _KIN and words[at - 1] in _YOUR:
            found.add("kin", 1.0, f"kin:{words[at - 1]} {words[at]}")
            return


_OWN_LATENESS = frozenset(["ero", "eravamo", "arrivata", "arrivato"])
_OWN_LATENESS_EN = frozenset([("i", "was"), ("we", "were"), ("i", "am"), ("we", "are")])


def _own_lateness(words: Sequence[str], at: int, text: str) -> bool:
    """Lateness the writer owns ("anche se ero in ritardo", "even though I was late"): not a
    complaint about the business."""
    if text not in ("in ritardo", "late", "running late"):
        return False
    if at and words[at - 1] in _OWN_LATENESS:
        return True
    return at > 1 and (words[at - 2], words[at - 1]) in _OWN_LATENESS_EN


def _match(words: Sequence[str], found: _Analysis) -> None:
    """Longest match first, left to right; a matched phrase consumes its words."""
    n = len(words)
    at = 0
    previous_number = False
    while at < n:
        word = words[at]
        candidates, steps, is_number = _lookup(word)
        found.work += 1 + steps
        if previous_number and word in _MONEY_WORDS:
            found.money += 1
        if (
            at
            and is_number
            and words[at - 1] in _WANT_WORDS
            and (at + 1 == n or words[at + 1] not in _AUDIENCE_WORDS)  # "want 1000 followers"
        ):
            found.add("lead", 3.0, f"lead:quantity:{words[at - 1]} {word}")
        if is_number and at and not found.earnings:
            _earnings(words, at, found)
        if is_number and at and not found.budget:
            _budget(words, at, found)
        if previous_number and word in _AUDIENCE_WORDS:
            found.add("spam", 2.5, f"spam:count:{words[at - 1]} {word}")
        if previous_number and word in _TIME_UNITS:
            found.waits += 1
            found.cue(f"wait:{words[at - 1]} {word}")
        previous_number = is_number
        best: tuple[_Pattern, tuple[_Entry, ...]] | None = None
        best_rank = (0, 0, 0)
        for pattern, entries, size, rank in candidates:
            if at + size > n:
                continue
            found.work += size
            if rank <= best_rank:
                continue  # it could not replace the best (matching has no other effect)
            if size > 1:
                second, stem = pattern[1]
                after = words[at + 1]
                if (after == "," or not after.startswith(second)) if stem else after != second:
                    continue
                if size > 2 and not all(
                    (words[at + k].startswith(w) and words[at + k] != ",")
                    if stem
                    else words[at + k] == w
                    for k, (w, stem) in enumerate(pattern[2:], start=2)
                ):
                    continue
            best, best_rank = (pattern, entries), rank
        if best is None:
            at += 1
            continue
        pattern, entries = best
        negated = False
        for k in range(at - 1, max(-1, at - 3), -1):
            if words[k] == ",":
                break
            negated = negated or words[k] in _NEGATIONS
        # a word in both languages' spam lists is one piece of evidence: the larger weight
        spam_entry = max(
            (e for e in entries if e.feature == "spam"), key=lambda e: e.weight, default=None
        )
        for entry in entries:
            found.votes[entry.lang] = found.votes.get(entry.lang, 0.0) + 0.75
            if entry.weight == 0.0:
                continue
            if entry.feature == "spam" and entry is not spam_entry:
                found.cue(f"{entry.lang}:{entry.cue}:{entry.text}")
                continue
            if negated and entry.feature == "praise":
                found.add("complaint", entry.weight, f"negated:{entry.text}")
                continue
            if negated and entry.feature == "complaint" and entry.text in _FLIPPABLE:
                found.add("praise", 1.5, f"negated:{entry.text}")
                continue
            if negated and entry.feature == "function":
                found.add("complaint", 2.0, f"negated:{entry.text}")
                continue
            if entry.feature == "animal" and not _said_of_someone(words, at, found.word_count):
                found.cue(f"animal:literal:{entry.text}")
                continue
            if negated and entry.cue == "threat":
                found.cue(f"threat-negated:{entry.text}")  # "non so dove abita"
                continue
            if entry.feature == "complaint" and _own_lateness(words, at, entry.text):
                found.cue(f"own:{entry.text}")
                continue
            if negated and entry.feature == "lead":
                found.add("complaint", 1.5, f"negated:{entry.text}")
                continue
            found.add(entry.feature, entry.weight, f"{entry.lang}:{entry.cue}:{entry.text}")
        at += len(pattern)


# -------------------------------------------------------------------------------------------
# Decision
# -------------------------------------------------------------------------------------------
def _confidence(score: float, runner_up: float) -> float:
    margin = max(0.0, score - runner_up)
    value = 0.5 + 0.45 * (1.0 - math.exp(-margin / 2.5)) + 0.04 * min(1.0, score / 6.0)
    return round(min(0.99, value), 3)


def _asks_about_conditions(words: Sequence[str]) -> bool:
    """A question about rules or conditions without purchase intent (see
    ``_CONDITION_WORDS``): linear in the number of words."""
    condition = False
    previous = ""
    before = ""
    for word in words:
        if word in _BUYER_WORDS or (previous, word) in _FOR_ME or _is_number(word):
            return False
        if (
            len(word) > 5
            and word.endswith(_CONDITIONAL_ENDINGS)
            and word not in _MODAL_CONDITIONALS
        ):
            return False
        if word in _PURCHASE_WORDS and not (
            previous in _REQUIREMENT_WORDS or before in _REQUIREMENT_WORDS
        ):
            return False
        if word in _CONDITION_WORDS or word in _REQUIREMENT_WORDS:
            condition = True
        before, previous = previous, word
    return condition


def _decide(found: _Analysis) -> tuple[MessageCategory, float, list[str]]:
    """The category from the scores, in priority order; returns (category, confidence, cues)."""
    s = found.score
    notes: list[str] = []
    has_words = found.word_count > 0
    spam = s("spam")
    if found.links:
        spam += 1.0 + (2.0 if found.shorteners else 0.0) + 2.0 * min(1, found.suspicious_links)
    if found.mentions and (spam > 0 or found.promo_handles):
        spam += 1.0 + found.promo_handles
    if found.money and s("rate"):
        spam += 2.0
        notes.append("spam:money-per-time")
    concrete = s("complaint") + s("experience") + s("past")
    complaint = s("complaint")
    lead = s("lead") / 2 if s("past") else s("lead")  # "we booked for 6..." is a story
    question = s("question")
    opener = 1.0 if found.opens_with_question else 0.0
    if found.questions or (found.emoji_question and has_words):
        question += 1.5 + opener + (found.emoji_question if has_words else 0)
    else:
        question = question * 0.75 + opener
    if lead < 3.0 and (s("social") >= 2.0 or (found.leading_mention and s("question") < 1.5)):
        question = min(question, 1.0)  # a commenter talking to a friend, not to the brand
    emoji_weight = 0.5 if has_words else 1.0
    praise = s("praise") + min(3.0, found.emoji_positive * emoji_weight)
    if found.leading_mention and praise < 4.0 and s("social") and lead < 3.0:
        praise = 0.0  # "@giulia guarda che carino": showing a friend, not praising the brand
    if spam >= 3.0 and spam > max(complaint, lead, question):
        return MessageCategory.SPAM, _confidence(spam, max(complaint, lead, question)), notes

    abuse = s("abuse") + 1.5 * found.emoji_abusive
    target = s("target") + s("address") + (1.0 if found.judged else 0.0)
    person = bool(target) or names_a_person(found.words)  # (one scan of the words)
    if s("mild") and concrete < 2.5 and (target or found.word_count <= 6):
        abuse += s("mild") + 1.0
        notes.append("abuse:insult-without-detail")
    contempt_is_abuse = bool(s("contempt") and concrete < 2.5 and (target or found.word_count <= 6))
    if contempt_is_abuse:
        abuse += s("contempt")
        notes.append("abuse:contempt-without-detail")
    elif s("contempt"):
        complaint += s("contempt") / 2
    if s("animal") and not praise and (person or found.mentions or found.word_count <= 6):
        abuse += s("animal")  # "sei un cane", "the driver is an animal", "like animals"
        notes.append("abuse:likened-to-an-animal")
    if s("menace") and s("threat-if") and not praise:
        abuse += 3.0  # "se non mi rimborsate vengo lì e...", "or I'm coming down there"
        notes.append("abuse:conditional-threat")
    if s("whereabouts") and not praise:
        abuse += s("whereabouts")  # "I know which hostel she works at and when she finishes"
        notes.append("abuse:knows-where")
    if s("mindless"):
        abuse += s("mindless")  # "ha il cervello di una serratura": only people have brains
        notes.append("abuse:figurative-insult")
    elif s("likeness") and person:
        abuse += s("likeness")  # "the tailor has the personality of a wet rag"
        notes.append("abuse:figurative-insult")
    bad = s("mild") or s("contempt") or found.emoji_negative
    if s("mocking") and person and (bad or (complaint and not found.contrast)):
        abuse += 3.0  # "ci vuole talento per essere cosi incapace", "the genius who..."
        notes.append("abuse:mock-praise")
    elif praise and s("mild") and person and not found.contrast and concrete < 2.5:
        abuse += s("mild") + 1.0  # "a round of applause for the manager, clueless and smug"
        notes.append("abuse:mock-praise")
    if s("menace") and s("kin") and not praise:
        abuse += 3.0  # "il mondo è piccolo e le tue figlie vanno a scuola qui vicino"
        notes.append("abuse:menace-to-family")
    if found.judged and (s("mild") or s("contempt")) and not praise and concrete < 2.5:
        abuse += 1.0  # "il gestore è un essere viscido e meschino": a judgement of a person
        notes.append("abuse:judging-a-person")
    if s("address") and not praise and concrete < 2.5 and not lead:
        abuse += 2.0  # "sei una nullità", "you are dogs": a judgement of the person
        notes.append("abuse:judging-the-person")
    if abuse >= 3.0:
        return MessageCategory.ABUSE, _confidence(abuse, complaint), notes
    if contempt_is_abuse:
        complaint += s("contempt") / 2  # not enough for abuse: contempt is still criticism
        notes.remove("abuse:contempt-without-detail")

    if s("mild"):
        complaint += s("mild") * 0.75
    complaint += min(2, found.emoji_negative) * (0.75 if has_words else 1.0)
    if found.waits and (complaint or s("experience") or s("past")):
        complaint += 1.5
    sarcastic = s("sarcasm") > 0 or found.emoji_sarcasm > 0
    if praise and (complaint >= 2.0 or (found.contrast and complaint > 0)):
        notes.append("sarcasm:praise-with-criticism" if sarcastic else "mixed:criticism-wins")
        complaint += praise / 2
        praise = 0.0
    elif s("sarcasm") and (complaint or found.waits or s("experience") or found.negation):
        notes.append("sarcasm:marker")
        complaint += s("sarcasm") + praise / 2
        praise = 0.0
    elif found.emoji_sarcasm and (found.waits or complaint):
        notes.append("sarcasm:clap")
        complaint += 2.0 + praise / 2
        praise = 0.0
    scored = {
        MessageCategory.COMPLAINT: complaint,
        MessageCategory.LEAD: lead,
        MessageCategory.QUESTION: question,
        MessageCategory.PRAISE: praise,
    }

    def pick(category: MessageCategory) -> tuple[MessageCategory, float, list[str]]:
        score = scored[category]
        others = max(v for k, v in scored.items() if k is not category)
        return category, _confidence(score, min(others, score)), notes

    if complaint >= 2.0 and complaint >= lead - 1.0:
        return pick(MessageCategory.COMPLAINT)
    if found.questions and question >= 1.5 and _asks_about_conditions(found.words):
        notes.append("question:conditions")  # "posso portare il cane?": not a purchase
        return pick(MessageCategory.QUESTION)
    if lead >= 3.0 and lead >= question - 2.0:
        return pick(MessageCategory.LEAD)
    if question >= 2.5 or (question >= 2.0 and found.questions):
        return pick(MessageCategory.QUESTION)
    if complaint >= 1.5 and complaint >= praise:
        return pick(MessageCategory.COMPLAINT)
    if praise >= 1.0:
        return pick(MessageCategory.PRAISE)
    if lead >= 2.0:
        return pick(MessageCategory.LEAD)
    if (
        question >= 2.0
        or (question >= 1.5 and found.questions)
        or (s("question") >= 1.5 and found.word_count <= 5)
    ):
        return pick(MessageCategory.QUESTION)
    top = max(scored.values())
    return MessageCategory.OTHER, _confidence(2.0 - top, 0.0), notes


def _language(found: _Analysis) -> str:
    return language_of_words(found.words, found.votes["it"], found.votes["en"])


def _check_language(language: str | None) -> None:
    if language is not None and language not in LANGUAGES:
        raise ValidationError(
            "language",
            language,
            "must be 'it', 'en' or 'und'",
            hint="leave it out to detect the language from the text",
        )


def _classify_text(text: str, language: str | None, extra: Iterable[str] = ()) -> Classification:
    _check_language(language)
    found = _read(text)
    for cue in extra:
        found.cue(cue)
    category, confidence, notes = _decide(found)
    if found.questions:
        found.cue("question-mark")
    if found.leading_mention:
        found.cue("mention:leading")
    if found.emoji_positive or found.emoji_negative:
        found.cue(f"emoji:+{found.emoji_positive}/-{found.emoji_negative}")
    if found.emoji_abusive:
        found.cue("emoji:abusive")
    for note in notes:
        found.cue(note)
    detected = language if language is not None else _language(found)
    return Classification(
        category=category, language=detected, confidence=confidence, cues=tuple(found.cues)
    )


def detect_language(text: str) -> str:
    """``"it"``, ``"en"`` or ``"und"`` (emoji-only, too short to tell, or a tie).

    >>> detect_language("Buonissimo, torno sicuramente!")
    'it'
    >>> detect_language("Do you deliver on Sundays?")
    'en'
    >>> detect_language("😍😍")
    'und'
    """
    return _language(_read(text))


def classify(text: str, *, language: str | None = None) -> Classification:
    """Classify one text with the default classifier (:data:`DEFAULT_CLASSIFIER`: the rules
    and the learned model together); ``language`` skips the detection.

    >>> classify("Great post! Check my profile for free followers 🔥").category
    <MessageCategory.SPAM: 'spam'>
    >>> classify("quanto costa la spedizione in Sardegna?").category
    <MessageCategory.LEAD: 'lead'>
    """
    return _default().classify_text(text, language=language)


def classify_message(message: InboxMessage) -> Classification:
    """Classify an inbox message with the default classifier (reads the text and the
    author)."""
    return _default().classify(message)


class RuleClassifier:
    """The default classifier: normalisation, lexicons and ordered rules (see the module's
    documentation). Deterministic, offline, linear in the length of the text."""

    def classify(self, message: InboxMessage) -> Classification:
        """Classify ``message.text``; the author's handle is read as a spam hint."""
        extra: list[str] = []
        author = message.author.lower()
        if any(p in author for p in _PROMO_HANDLE):
            extra.append(f"author:promo-handle:{message.author[:30]}")
        result = _classify_text(message.text, None, extra)
        if extra and result.category is not MessageCategory.SPAM:
            spam_cues = [c for c in result.cues if ":spam" in c or c.startswith("link")]
            if spam_cues:
                return result.model_copy(
                    update={"category": MessageCategory.SPAM, "confidence": 0.75}
                )
        return result

    def classify_text(self, text: str, *, language: str | None = None) -> Classification:
        """Classify a bare text (what :func:`classify` does)."""
        return _classify_text(text, language)


@cache
def _default() -> EnsembleClassifier:
    from ._learned import EnsembleClassifier  # it builds on this module: imported on first use

    return EnsembleClassifier()


class _DefaultClassifier:
    """The classifier used when none is given: :class:`~smmkit.community.EnsembleClassifier`
    over :class:`RuleClassifier` and the shipped learned model, built on first use."""

    def classify(self, message: InboxMessage) -> Classification:
        return _default().classify(message)

    def classify_text(self, text: str, *, language: str | None = None) -> Classification:
        return _default().classify_text(text, language=language)

    def __repr__(self) -> str:
        return "DEFAULT_CLASSIFIER(EnsembleClassifier(RuleClassifier(), LearnedClassifier()))"


DEFAULT_CLASSIFIER: Classifier = _DefaultClassifier()
"""The classifier used when none is given: the rules and the learned model together
(:class:`~smmkit.community.EnsembleClassifier`). Deterministic and offline; it generalises to
new wording better than the rules alone (``benchmarks/eval_classifier.py``). Use
:class:`RuleClassifier` for the rules alone (two to three times as fast)."""
