"""Language detection for short social-media messages: Italian, English or undetermined.

A small scorer over normalised words: function words (articles, pronouns, auxiliaries) weigh
most, word shapes (Italian words end in a vowel; English has "th", "-ing", "-ly") add a little.
Short or emoji-only messages, and ties, are ``"und"``. Linear in the number of words.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["LANGUAGES", "language_of_words"]

LANGUAGES = ("it", "en", "und")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_IT_WORDS = _wordset(
    "il lo la le gli i un una uno di del della dei delle degli dello al alla ai alle allo da dal"
    " dalla dai nel nella nei nelle con su sul sulla per tra fra che chi non ma anche ancora"
    " sono sei siamo siete e ho hai ha abbiamo avete hanno era erano stato stata essere avere"
    " mi ti ci vi si ne lui lei noi voi loro mio mia miei tuo tua vostro vostra questo questa"
    " quello quella qui qua li la come cosa quando dove perche quanto quanti quale molto"
    " troppo poco tutto tutti sempre mai gia piu meno oggi ieri domani grazie ciao buongiorno"
    " buonasera prego vorrei posso potete fate avete se o oppure ecco proprio davvero veramente"
    " comunque allora poi dopo prima solo altro altra niente nulla qualcosa bello bella buono"
    " buona tanto tanta anzi pure nemmeno neanche vero cioe tipo boh mah dai raga ragazzi"
)
_EN_WORDS = _wordset(
    "the a an of to in on at for with from by about and or but not no so too very is are was"
    " were be been being am do does did have has had will would can could should may might"
    " i me my mine you your yours he she it its we our us they them their this that these those"
    " what when where which who why how there here just really love like thanks thank please"
    " get got go going went come came make made one all some any more most much many only also"
    " again still ever never always today yesterday tomorrow hi hello hey guys best good great"
    " if then than because as up out over after before everyone morning evening first last"
    " price nice place shop store thing things people"
)


def language_of_words(words: Iterable[str], votes_it: float = 0.0, votes_en: float = 0.0) -> str:
    """``"it"``, ``"en"`` or ``"und"`` from normalised (folded, lowercase) words.

    ``votes_it``/``votes_en`` are extra evidence from the lexicons (a matched Italian cue is a
    vote for Italian). O(total length of the words)."""
    score_it = votes_it
    score_en = votes_en
    for word in words:
        if not word.isalpha():
            continue
        in_it = word in _IT_WORDS
        in_en = word in _EN_WORDS
        if in_it and not in_en:
            score_it += 1.0
        elif in_en and not in_it:
            score_en += 1.0
        elif len(word) >= 4:
            last = word[-1]
            if last in "aeio" and not word.endswith(("ee", "oo")):
                score_it += 0.35
            elif word.endswith(("ing", "ly", "ed", "ful", "ness", "tion")) or "th" in word:
                score_en += 0.5
            elif last not in "aeiou":
                score_en += 0.25
    total = score_it + score_en
    if total < 0.7 or abs(score_it - score_en) < 0.2:
        return "und"
    return "it" if score_it > score_en else "en"
