"""Words that name or address people: the target an insult or a threat needs.

Shared by the rules (:mod:`._classify`) and the ensemble (:mod:`._learned`); set look-ups and
suffix tests per word, linear in the number of words.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["names_a_person"]

_SECOND_PERSON = frozenset(
    [
        "tu",
        "te",
        "ti",
        "voi",
        "vi",
        "ve",
        "tuo",
        "tua",
        "tuoi",
        "tue",
        "vostro",
        "vostra",
        "vostri",
        "vostre",
        "sei",
        "siete",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "ya",
        "u",
        "ur",
        "youre",
    ]
)
_PEOPLE = frozenset(
    [
        "questi",
        "quelli",
        "costoro",
        "these",
        "those",
        "guida",
        "guide",
        "guides",
        "driver",
        "drivers",
        "photographer",
        "florist",
        "stylist",
        "therapist",
        "pharmacist",
        "artist",
        "host",
        "tailor",
        "tailors",
        "seamstress",
        "sarto",
        "sarta",
        "sarti",
        "sarte",
        "hostess",
        "clerk",
        "instructor",
        "tutor",
        "cleaner",
        "builder",
        "plumber",
        "lawyer",
        "chi",
        "gente",
        "personale",
        "staff",
        "tizio",
        "tizia",
        "tizi",
        "whoever",
        "people",
        "guy",
        "guys",
        "girl",
        "girls",
        "woman",
        "women",
        "man",
        "men",
        "lady",
        "bloke",
        "lot",
        "bunch",
        "owner",
        "owners",
        "manager",
        "managers",
        "staff",
        "waiter",
        "waiters",
        "waitress",
        "receptionist",
        "receptionists",
        "salesman",
        "salesmen",
        "seller",
        "sellers",
        "barista",
        "cashier",
        "mayor",
        "council",
        "councillors",
        "referee",
        "ref",
        "doctor",
        "doctors",
        "dentist",
        "dentists",
        "nurse",
        "trainer",
        "trainers",
        "coach",
        "chef",
        "cook",
        "admin",
        "mechanic",
        "vet",
        "teacher",
        "barber",
        "agent",
        "agents",
        "employee",
        "employees",
        "boss",
        "player",
        "players",
        "keeper",
        "sommelier",
        # pronouns of a third person, and people named by what they do or are
        "he",
        "she",
        "him",
        "her",
        "lui",
        "lei",
        "lad",
        "lads",
        "boy",
        "boys",
        "kid",
        "creature",
        "creatura",
        "skipper",
        "captain",
        "crew",
        "planner",
        "planners",
        "rider",
        "riders",
        "courier",
        "couriers",
        "guard",
        "guards",
        "bouncer",
        "bouncers",
        "porter",
        "steward",
        "stewards",
        "donna",
        "uomo",
    ]
)
_ROLE_STEMS = (
    # Italian role nouns, any gender and number (commesso, commessa, commessi, commesse)
    "fotograf",
    "autist",
    "idraulic",
    "avvocat",
    "tecnic",
    "truff",
    "commess",
    "camerier",
    "proprietar",
    "titolar",
    "gestor",
    "direttor",
    "direttric",
    "sindac",
    "dottor",
    "dentist",
    "venditor",
    "venditric",
    "barist",
    "cassier",
    "istruttor",
    "istruttric",
    "allenator",
    "arbitr",
    "pizzaiol",
    "segretari",
    "impiegat",
    "dipendent",
    "commerciant",
    "barbier",
    "parrucchier",
    "estetist",
    "veterinar",
    "insegnant",
    "maestr",
    "assessor",
    "consiglier",
    "giocator",
    "president",
    "receptionist",
    "custod",
    "ragazz",
    "signor",
    "addett",
    "conducent",
    "bigliettai",
    "infermier",
    "bagnin",
    "portier",
    "corrier",
    "fattorin",
    "postin",
    "animator",
    "educator",
    "cuoc",
)
# Words that name people by a compound's end: zookeeper, shopkeeper, housekeeper.
_PERSON_ENDINGS = ("keeper", "keepers")
# An Italian infinitive with a second-person pronoun attached ("togliervi", "farti", "dirvi"):
# the sentence is aimed at the reader.
_CLITIC_YOU = ("arti", "erti", "irti", "arvi", "ervi", "irvi")
_CLITIC_MIN = 7  # "parti", "certi", "aperti" are shorter: not infinitives


# Agent nouns name people by their ending: Italian -tore/-trice (istruttore, venditrice),
# -ista (tassista, fiorista); English -ician (technician, electrician).
_AGENT_ENDINGS = ("tore", "tori", "trice", "trici", "ista", "isti", "ician", "icians")
_AGENT_MIN = 7  # shorter words with these endings are rarely people ("vista", "lista", "motore")


def names_a_person(folded: Iterable[str]) -> bool:
    """Whether the folded, lowercase ``folded`` words address someone (second person: "tu",
    "voi", "you", "your", "togliervi") or name a person or people ("il titolare", "la
    commessa", "the owner", "gente", "zookeeper"). Linear in the number of words."""
    for word in folded:
        if word in _SECOND_PERSON or word in _PEOPLE:
            return True
        if len(word) >= 5 and word.startswith(_ROLE_STEMS):
            return True
        if len(word) >= _AGENT_MIN and word.endswith(_AGENT_ENDINGS):
            return True
        if word.endswith(_PERSON_ENDINGS):
            return True
        if len(word) >= _CLITIC_MIN and word.endswith(_CLITIC_YOU):
            return True
    return False
