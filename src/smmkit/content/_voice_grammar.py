"""Italian grammar for the tu/Lei check, beyond single words at a sentence's start.

The word lists of :mod:`smmkit.content._voice` find the reader addressed where a sentence
starts ("Prenoti", "Scopra") or by unambiguous words ("tuo", "Suo"). This module adds the
constructions where the person is told by grammar:

- **clauses after an introduction**: a verb opens a clause after an introductory clause or
  phrase ended by a comma ("Se passa in negozio, *chieda* di Marco"; "Dopo il corso, *riceverà*
  il lievito"). An introduction starts with a conjunction, a preposition, an adverb of time or
  place, or a greeting; a list of commands ("Scegli il pane, prenoti online") is not one;
- **compound tenses**: "ha" with a past participle (or "ha bisogno / voglia / tempo...") and no
  subject of its own before it: "Ha già provato...?", "Oggi ha diritto a...";
- **"Le" / "le" as the reader's indirect object**: before a future or conditional verb ("Le
  piacerebbe", "le invieremo il codice"), before "è/sarà" ("Le è piaciuta"), before "ha/ho"
  with an unagreed participle ("le ho preparato", whereas "le ho preparate" is "them"), or
  before a verb followed by its own direct object ("le segnaliamo il pane");
- **the person of a verb after "se", "quando"...**: "se ordina" is a third person (Lei), "se
  ordini" a second (tu); a future's person too: "capirai" (tu), "quando assaggerà" (Lei).

Verb forms are recognised from their endings on a lexicon of verbs used in marketing copy (the
stems below): Italian inflection is regular enough for that, and the rules need the person and
the tense, which a lemmatizer does not give.
"""

from __future__ import annotations

from typing import NamedTuple

# -- the lexicon -----------------------------------------------------------------------------
# -are verbs of calls to action that also read as commands where a sentence starts
# (smmkit.content._voice uses them there too): none is a common noun in its -a or -i form.
MORE_ARE_STEMS = (
    "personalizz",
    "abbin",
    "aggiorn",
    "attiv",
    "brind",
    "chatt",
    "colleg",
    "cre",
    "digit",
    "esplor",
    "evit",
    "indoss",
    "inquadr",
    "navig",
    "pianific",
    "rinnov",
    "risparmi",
    "scansion",
    "selezion",
    "sogn",
    "spost",
    "vot",
    "respir",
    "aiut",
    "accett",
    "annull",
    "inoltr",
    "recuper",
    "sfrutt",
    "tocc",
    "scatt",
    "compil",
    "ripar",
    "gir",
    "lavor",
    "viaggi",
    "arred",
    "us",
    "impar",
    "assicur",
)
# -ere and -ire verbs of calls to action (tu imperative -> Lei imperative), beyond those of
# smmkit.content._voice; none is a common noun in either form.
MORE_ERE_IRE_IMPERATIVES = {
    "inserisci": "inserisca",
    "attendi": "attenda",
    "permetti": "permetta",
    "prometti": "prometta",
    "concludi": "concluda",
    "risolvi": "risolva",
    "riprendi": "riprenda",
    "sorridi": "sorrida",
    "suggerisci": "suggerisca",
    "trascorri": "trascorra",
    "scorri": "scorra",
    "pulisci": "pulisca",
    "arricchisci": "arricchisca",
    "fornisci": "fornisca",
    "garantisci": "garantisca",
    "sostituisci": "sostituisca",
    "restituisci": "restituisca",
    "trasferisci": "trasferisca",
    "contribuisci": "contribuisca",
    "aderisci": "aderisca",
    "spedisci": "spedisca",
    "scommetti": "scommetta",
    "accogli": "accolga",
    "raccogli": "raccolga",
    "togli": "tolga",
    "cogli": "colga",
    "cuoci": "cuocia",
    "riduci": "riduca",
    "copri": "copra",
    "chiudi": "chiuda",
    "accedi": "acceda",
    "resisti": "resista",
    "esprimi": "esprima",
    "includi": "includa",
    "richiedi": "richieda",
    "iscrivi": "iscriva",
    "sostieni": "sostenga",
    "ottieni": "ottenga",
    "mantieni": "mantenga",
}
# -are verbs by stem (the infinitive without "-are"). Stems ending in c/g take an "h" before
# "e" and "i" (cerc-: cerchi, cercherà); stems ending in "i" drop it before "i" and "e"
# (mangi-: mangi, mangerà).
ARE_STEMS = [
    "accumul",
    "affrett",
    "complet",
    "ferm",
    "compil",
    "am",
    "approfitt",
    "arriv",
    "ascolt",
    "aspett",
    "assaggi",
    "assapor",
    "attiv",
    "augur",
    "avvis",
    "cambi",
    "cammin",
    "cant",
    "cen",
    "cerc",
    "chiam",
    "clicc",
    "comand",
    "cominci",
    "compil",
    "compr",
    "comunic",
    "conferm",
    "consegn",
    "conserv",
    "consider",
    "consigli",
    "contatt",
    "continu",
    "controll",
    "cucin",
    "decor",
    "dedic",
    "desider",
    "dimentic",
    "domand",
    "dimostr",
    "entr",
    "festeggi",
    "fid",
    "firm",
    "gioc",
    "gust",
    "immagin",
    "impar",
    "impast",
    "indic",
    "inizi",
    "insegn",
    "invi",
    "invit",
    "lasci",
    "lav",
    "mand",
    "mangi",
    "merit",
    "mostr",
    "not",
    "occup",
    "ordin",
    "organizz",
    "osserv",
    "pag",
    "parl",
    "parcheggi",
    "partecip",
    "pass",
    "pens",
    "person",
    "port",
    "pranz",
    "prenot",
    "prepar",
    "present",
    "prov",
    "raccont",
    "regal",
    "registr",
    "rest",
    "ricord",
    "rilass",
    "ringrazi",
    "riserv",
    "risparmi",
    "ritir",
    "salv",
    "scaric",
    "scatt",
    "segnal",
    "sfogli",
    "sper",
    "spieg",
    "sponsorizz",
    "tagg",
    "telefon",
    "torn",
    "trov",
    "us",
    "utilizz",
    "visit",
    # more verbs of brand and social copy (December 2026)
    *MORE_ARE_STEMS,
    "guard",
    "acquist",
    "conferm",
    "modific",
    "verific",
    "comment",
    "abbon",
    "allen",
    "candid",
    "preoccup",
    "accomod",
    "coccol",
    "inform",
    "sbrig",
    "riscald",
    "salut",
    "ospit",
    "accompagn",
    "ricontatt",
    "richiam",
    "scus",
    "tard",
    "ritard",
    "divent",
]
# -ere and -ire verbs: (stem, 3rd person subjunctive "Lei" form, "isc" verb).
ERE_IRE = {
    "accend": "accenda",
    "aggiung": "aggiunga",
    "apr": "apra",
    "bev": "beva",
    "cap": "capisca",
    "chied": "chieda",
    "chiud": "chiuda",
    "condivid": "condivida",
    "conosc": "conosca",
    "corr": "corra",
    "costru": "costruisca",
    "cred": "creda",
    "decid": "decida",
    "dipend": "dipenda",
    "divid": "divida",
    "fin": "finisca",
    "gest": "gestisca",
    "god": "goda",
    "legg": "legga",
    "mett": "metta",
    "offr": "offra",
    "part": "parta",
    "perd": "perda",
    "prefer": "preferisca",
    "prend": "prenda",
    "promett": "prometta",
    "raggiung": "raggiunga",
    "ricev": "riceva",
    "rispond": "risponda",
    "ripet": "ripeta",
    "riscopr": "riscopra",
    "scegl": "scelga",
    "scend": "scenda",
    "scopr": "scopra",
    "scriv": "scriva",
    "segu": "segua",
    "sent": "senta",
    "sorprend": "sorprenda",
    "spend": "spenda",
    "sped": "spedisca",
    "unisc": "unisca",
    "vinc": "vinca",
    "ved": "veda",
    "iscriv": "iscriva",
    "convinc": "convinca",
    "ottien": "ottenga",
    "inser": "inserisca",
    "attend": "attenda",
    "permett": "permetta",
    "conclud": "concluda",
    "risolv": "risolva",
    "riprend": "riprenda",
    "sorrid": "sorrida",
    "sugger": "suggerisca",
    "trascorr": "trascorra",
    "scorr": "scorra",
    "pul": "pulisca",
    "arricch": "arricchisca",
    "forn": "fornisca",
    "garant": "garantisca",
    "sostitu": "sostituisca",
    "restitu": "restituisca",
    "trasfer": "trasferisca",
    "contribu": "contribuisca",
    "ader": "aderisca",
    "scommett": "scommetta",
    "acced": "acceda",
    "richied": "richieda",
    "includ": "includa",
    "esprim": "esprima",
    "resist": "resista",
    "viv": "viva",
    "dorm": "dorma",
    "raccogl": "raccolga",
    "accogl": "accolga",
    "togl": "tolga",
    "cuoc": "cuocia",
    "mantien": "mantenga",
    "sostien": "sostenga",
    "assist": "assista",
    "coinvolg": "coinvolga",
    "spegn": "spenga",
}
# Irregular present subjunctive (the Lei imperative) and indicative, 3rd person singular.
IRREGULAR_LEI_SUBJUNCTIVE = {
    "faccia": "fai",
    "dia": "dai",
    "stia": "stai",
    "vada": "vai",
    "venga": "vieni",
    "dica": "dici",
    "tenga": "tieni",
    "sappia": "sappi",
    "abbia": "abbi",
    "sia": "sii",
    "esca": "esci",
    "rimanga": "rimani",
    "scelga": "scegli",
    "possa": "possa",
    "voglia": "voglia",
}
IRREGULAR_LEI_PRESENT = {
    "fa": "fai",
    "va": "vai",
    "sta": "stai",
    "dà": "dai",
    "viene": "vieni",
    "dice": "dici",
    "tiene": "tieni",
    "rimane": "rimani",
}
LEI_PRESENT_MODALS = {
    "può": "puoi",
    "puo": "puoi",  # written without its accent
    "vuole": "vuoi",
    "deve": "devi",
    "sa": "sai",
    "desidera": "desideri",
    "preferisce": "preferisci",
    "conosce": "conosci",
}
IRREGULAR_FUTURE_STEMS = {
    "av": "avr",
    "ess": "sar",
    "pot": "potr",
    "vol": "vorr",
    "dov": "dovr",
    "ven": "verr",
    "ten": "terr",
    "and": "andr",
    "far": "far",
    "dar": "dar",
    "sap": "sapr",
    "ved": "vedr",
    "rimar": "rimarr",
    "piac": "piacer",
    "serv": "servir",
    "dispiac": "dispiacer",
    "conven": "converr",
    "interess": "interesser",
    "sembr": "sembrer",
    "arriv": "arriver",
    "d": "dir",
    "bev": "berr",
}
# A demonstrative before a time noun makes a time adverbial, never a subject of the verb
# after it: "Quest'anno si regali", "Ogni mattina trova".
DEMONSTRATIVE_TIME = {"quest", "questo", "questa", "ogni", "tutto", "tutta", "tutti", "tutte"}
TIME_NOUNS = {
    "anno", "anni", "mese", "mesi", "settimana", "settimane", "giorno", "giorni", "mattina",
    "mattine", "sera", "sere", "weekend", "estate", "inverno", "autunno", "primavera", "volta",
    "pomeriggio", "notte", "Natale", "natale",
}  # fmt: skip
# Prepositions and adverbs ending in "-a" that open a clause with an article after them.
NOT_VERBS_BEFORE_AN_ARTICLE = {
    "sopra", "senza", "verso", "contro", "ancora", "allora", "sempre", "appena", "prima",
    "insomma", "pertanto", "finora", "ormai", "nemmeno", "neppure", "ossia", "qualora",
    "tipo", "fuora", "magari", "cioè", "ecco", "eccola", "oltre", "fra", "tra",
}  # fmt: skip
# "essere" in the 3rd person, and the tu form, where an adjective of the reader follows.
ESSERE_THIRD = {"è": "sei", "sarà": "sarai", "sarebbe": "saresti", "era": "eri"}
# Adjectives said of things rather than people, after "È ...?": "È possibile prenotare?"
THING_ADJECTIVES = {
    "possibile", "necessario", "necessaria", "meglio", "utile", "importante", "vero", "vera",
    "facile", "difficile", "obbligatorio", "obbligatoria", "gratuito", "gratuita", "incluso",
    "inclusa", "compreso", "compresa", "adatto", "adatta", "aperto", "aperta", "chiuso",
    "chiusa", "previsto", "prevista", "valido", "valida", "richiesto", "richiesta",
}  # fmt: skip
# Forms of "venire" that make a passive: "le verrà inviata" (a passive has no object, so "le"
# is the person it is sent to).
VENIRE_PASSIVE = {"viene", "vengono", "verrà", "verranno", "verrebbe", "verrebbero", "veniva"}


def is_participle_any(word: str) -> bool:
    """A past participle in any gender and number ("inviata", "assegnati")."""
    return len(word) > 4 and word[-1] in "oaie" and is_participle(word[:-1] + "o")


# Words that open a question before its verb: "Che ne direbbe...?", "Come si troverebbe...?"
QUESTION_OPENERS = {"che", "cosa", "come", "dove", "quando", "perché", "ne", "ci", "si", "lo", "la"}
# The 3rd person forms of "avere" that make compound tenses, and their tu counterparts.
AVERE_THIRD = {
    "ha": "hai",
    "aveva": "avevi",
    "avrà": "avrai",
    "avra": "avrai",
    "avrebbe": "avresti",
    "avesse": "avessi",
}
NUMBERS = {"due", "tre", "quattro", "cinque", "dieci", "cento", "mille", "qualche", "molti"}
# Verbs whose dative "Le"/"le" is the person pleased, helped, reached...: "Le piace".
DATIVE_PRESENT = {
    "piace",
    "piacciono",
    "serve",
    "servono",
    "va",
    "dispiace",
    "interessa",
    "conviene",
    "sembra",
    "arriva",
    "arrivano",
    "basta",
    "manca",
    "spetta",
    "tocca",
    "sta",
    "stanno",
}
ESSERE = {"è", "sarà", "sarebbe", "era", "sono", "saranno", "sarebbero", "fu", "sia"}
AVERE = {"ha", "ho", "abbiamo", "hanno", "avrà", "avremo", "avrebbe", "aveva", "avevamo"}
IRREGULAR_PARTICIPLES = {
    "fatto",
    "detto",
    "visto",
    "preso",
    "messo",
    "scritto",
    "letto",
    "scelto",
    "chiesto",
    "risposto",
    "aperto",
    "offerto",
    "scoperto",
    "vinto",
    "perso",
    "deciso",
    "speso",
    "rimasto",
    "stato",
    "venuto",
    "mandato",
    "acceso",
    "promesso",
    "sorpreso",
    "spedito",
    "diviso",
    "concesso",
    "permesso",
    "successo",
    "corso",
    "bevuto",
    "conosciuto",
    "ricevuto",
    "dato",
    "iscritto",
    "nato",
    "piaciuto",
}
HA_IDIOMS = {
    "bisogno",
    "voglia",
    "diritto",
    "tempo",
    "fame",
    "sete",
    "ragione",
    "domande",
    "dubbi",
    "problemi",
    "idea",
    "figli",
    "un",
    "una",
    "uno",
    "qualche",
    "già",
}
ADVERBS = {
    "già",
    "mai",
    "ancora",
    "appena",
    "sempre",
    "anche",
    "davvero",
    "proprio",
    "forse",
    "poi",
    "subito",
    "ora",
    "oggi",
    "domani",
    "stasera",
    "finalmente",
    "certamente",
    "sicuramente",
    "non",
}
# Words that can stand before a verb without being its subject.
NOT_SUBJECTS = ADVERBS | {
    "da",
    "dal",
    "dalla",
    "dai",
    "dalle",
    "a",
    "al",
    "alla",
    "in",
    "nel",
    "nella",
    "su",
    "sul",
    "sulla",
    "per",
    "tra",
    "fra",
    "entro",
    "dopo",
    "prima",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
    "mattina",
    "sera",
    "stamattina",
    "ieri",
    "stanotte",
    "stamani",
    "adesso",
    "quindi",
    "allora",
    "inoltre",
    "intanto",
    "infine",
    "così",
    # clitic pronouns stand before the verb they belong to
    "l",
    "lo",
    "la",
    "li",
    "ne",
    "ci",
    "mi",
    "si",
    "gli",
}
PREPOSITIONS = {
    "nell",
    "dell",
    "all",
    "dall",
    "sull",
    "a",
    "al",
    "alla",
    "ai",
    "da",
    "dal",
    "dalla",
    "in",
    "nel",
    "nella",
    "nei",
    "con",
    "per",
    "su",
    "sul",
    "sulla",
    "tra",
    "fra",
    "di",
    "del",
    "della",
}
# Pronouns that are the subject of the verb after them ("per chi ama").
RELATIVES = {"chi", "che", "cui", "cosa", "quale", "quali", "nessuno", "qualcuno", "tutti"}
# Words that open what a verb says or asks: "le mostreremo come nasce".
COMPLEMENTS = {"come", "dove", "quando", "perché", "se", "cosa", "quale", "quanto", "che", "di"}
# Titles before a name: a reader addressed as "signor Rossi" is addressed with Lei.
TITLES = {
    "signor",
    "signora",
    "signore",
    "signori",
    "signorina",
    "dottor",
    "dottore",
    "dottoressa",
    "avvocato",
    "professore",
    "professoressa",
    "ingegner",
    "ingegnere",
}
# Verbs whose subject often follows them ("arriverà un SMS", "se passa il corriere"); after
# other verbs an article opens the object ("riceverà un SMS").
INTRANSITIVE_STEMS = {"arriv", "torn", "entr", "rest", "part", "pass", "cominci", "inizi", "cambi"}
INTRANSITIVE_WORDS = {
    "sarà",
    "verrà",
    "andrà",
    "piacerà",
    "servirà",
    "mancherà",
    "è",
    "va",
    "arriva",
}
CONJUNCTIONS = {"se", "quando", "appena", "finché", "qualora", "mentre", "perché", "dove"}
# Words an introductory clause or phrase starts with.
INTRODUCERS = (
    CONJUNCTIONS
    | NOT_SUBJECTS
    | {
        "visto",
        "dato",
        "siccome",
        "fino",
        "qui",
        "qua",
        "poiché",
        "durante",
        "con",
        "grazie",
        "come",
        "ogni",
        "qualunque",
        "qualsiasi",
        "una",
        "questa",
        "questo",
        "nei",
        "negli",
        "nelle",
        "ai",
        "agli",
        "alle",
        "per",
        "buongiorno",
        "buonasera",
        "ciao",
        "salve",
        "gentile",
        "gentili",
        "caro",
        "cara",
        "cari",
        "care",
        "egregio",
        "egregia",
        "infatti",
        "comunque",
        "purtroppo",
        "certo",
        "sì",
        "insieme",
        "anche",
        "stavolta",
        "dunque",
        "nel",
        "nella",
        # prepositional adverbs that open a phrase: "invece della solita spiaggia, scelga..."
        "invece",
        "oltre",
        "senza",
        "secondo",
        "rispetto",
        "tranne",
        "anziché",
        "lungo",
        "sotto",
        "sopra",
        "dentro",
        "fuori",
        "vicino",
        "accanto",
        "verso",
        "contro",
        "dai",
        "dal",
        "dalla",
        "dalle",
        "sul",
        "sulla",
        "sui",
        "all",
        "nell",
        "dall",
    }
)
DETERMINERS = {
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
    "questo",
    "questa",
    "tutto",
    "tutti",
    "tutte",
    "due",
    "tre",
    "nostro",
    "nostra",
    "nostri",
    "nostre",
    "qualcosa",
    "che",
    "di",
    "subito",
}
CLITICS = {"si", "ci", "mi", "lo", "la", "li", "ne", "gli", "glielo", "gliela", "glieli", "le"}
PREPOSITIONS_BEFORE_PRONOUN = {"per", "con", "a", "da", "di", "come", "senza", "verso", "su"}


IRE_STEMS = {"apr", "offr", "scopr", "riscopr", "part", "sent", "segu", "sped", "dorm", "copr"}
IRREGULAR_TU_IMPERFECT = {
    "eri": "era",
    "avevi": "aveva",
    "sapevi": "sapeva",
    "volevi": "voleva",
    "potevi": "poteva",
    "dovevi": "doveva",
    "facevi": "faceva",
    "dicevi": "diceva",
    "stavi": "stava",
    "andavi": "andava",
    "venivi": "veniva",
    "bevevi": "beveva",
}
UNACCENTED_NOT_FUTURE = {"terra", "sara", "fara", "dara", "mara", "cara", "para", "bara"}
# Verbs whose direct object is a person: "la" before them is the reader addressed as Lei ("Il
# sarto la contatterà", "la aspettiamo"), not a thing; "guida" and "visita" are left out, as
# "la guida", "la visita" are an article and a noun.
PERSON_OBJECT_ARE = (
    "aspett",
    "chiam",
    "contatt",
    "ricontatt",
    "ringrazi",
    "invit",
    "aiut",
    "inform",
    "avvis",
    "richiam",
    "accompagn",
    "coccol",
    "ascolt",
    "ospit",
    "salut",
    "coinvolg",
)
PERSON_OBJECT_ERE_IRE = ("accogli", "sorprend", "assist", "segu", "attend", "serv", "raggiung")
# Pronominal verbs: "si" before their 3rd person after "se", "quando"... is the reader ("quando
# si allena con noi"), not the impersonal "si" ("quando si mangia").
PRONOMINAL_THIRD = {
    "allena": "ti alleni",
    "iscrive": "ti iscrivi",
    "registra": "ti registri",
    "abbona": "ti abboni",
    "accomoda": "ti accomodi",
    "affretta": "ti affretti",
    "rilassa": "ti rilassi",
    "ferma": "ti fermi",
    "diverte": "ti diverti",
    "trova": "ti trovi",
    "preoccupa": "ti preoccupi",
    "ricorda": "ti ricordi",
    "dimentica": "ti dimentichi",
    "candida": "ti candidi",
    "collega": "ti colleghi",
    "sbriga": "ti sbrighi",
    "rivolge": "ti rivolgi",
    "affida": "ti affidi",
    "prenota": "ti prenoti",
}
# Infinitives and gerunds of verbs whose subject follows them: "Sta per iniziare la diretta"
# is about the broadcast; "Sta per ricevere..." is the reader.
HAPPENING = (
    "arriv",
    "scad",
    "fin",
    "inizi",
    "cominci",
    "part",
    "torn",
    "termin",
    "chiud",
    "apr",
    "usc",
    "nasc",
    "succed",
    "cambi",
    "entr",
    "accad",
    "sfornare",
    "esaur",
    "scatt",
)
# Indefinites after which a verb is a subjunctive whose subject is the reader when none is
# given: "qualunque cosa scelga" (Lei), "ovunque si trovi".
WHATEVER = {("qualunque", "cosa"), ("qualsiasi", "cosa"), ("ovunque", "")}
POSSESSIVES_LEI = {"suo", "sua", "suoi", "sue"}
# Openers of an introduction that names a place or a time ("In allegato,", "Qui sotto,", "Ogni
# mattina,"): after one, "trovare" says what is there, in the indicative ("trova": Lei; "trovi":
# tu), not a command.
PLACE_OR_TIME_OPENERS = {
    "in", "nel", "nella", "nello", "nei", "nelle", "negli", "nell", "sul", "sulla", "sui",
    "sulle", "sull", "qui", "qua", "lì", "là", "sotto", "sopra", "all", "alla", "al",
    "ogni", "tutti", "tutte", "da", "dal", "dalla", "dai", "dalle", "oggi", "domani", "stasera",
    "quest", "questa", "questo", "sabato", "domenica",
}  # fmt: skip
# Openers of an introduction that names a means or a span of time ("Con la carta fedeltà,",
# "Dal lunedì al venerdì,"): what follows says what the reader gets, in the indicative.
MEANS_OR_RANGE_OPENERS = {"con", "col", "dal", "dalla", "dai", "dalle"}


def soft(stem: str, vowel: str) -> str:
    """The stem before a front vowel: c/g take an "h" (cerc-: cerchi, cercherà); a final "i"
    goes before "i" (mangi-: mangi), and after c/g before "e" too (mangi-: mangerà)."""
    if stem.endswith(("c", "g")):
        return stem + "h"
    if stem.endswith("i") and (vowel == "i" or stem.endswith(("ci", "gi"))):
        return stem[:-1]
    return stem


class Forms(NamedTuple):
    """Verb forms by person and tense: each maps a form to its counterpart in the other
    register (tu form -> Lei form, or the reverse)."""

    tu_future: dict[str, str]  # capirai -> capirà
    lei_future: dict[str, str]  # capirà -> capirai
    lei_subjunctive: dict[str, str]  # chieda -> chiedi (the Lei imperative)
    tu_imperative_are: dict[str, str]  # prenota -> prenoti
    lei_present: dict[str, str]  # ordina, riceve -> ordini, ricevi
    future_or_conditional: frozenset[str]  # every person but the 2nd
    participles: frozenset[str]
    finite: frozenset[str]  # present, future, conditional forms of the lexicon
    intransitive: frozenset[str]  # 3rd person forms of verbs whose subject may follow them
    person_object: frozenset[str]  # forms (not 2nd person) of verbs whose object is a person
    tu_imperfect: dict[str, str]  # sapevi -> sapeva
    lei_imperfect: dict[str, str]  # sapeva -> sapevi ("era" left out: mostly about things)


def _build() -> Forms:
    tu_future: dict[str, str] = {}
    lei_future: dict[str, str] = {}
    lei_subjunctive: dict[str, str] = dict(IRREGULAR_LEI_SUBJUNCTIVE)
    tu_imperative: dict[str, str] = {}
    lei_present: dict[str, str] = dict(LEI_PRESENT_MODALS) | IRREGULAR_LEI_PRESENT
    fut_cond: set[str] = set()
    intransitive: set[str] = set(INTRANSITIVE_WORDS)
    participles: set[str] = set(IRREGULAR_PARTICIPLES)
    finite: set[str] = set(LEI_PRESENT_MODALS) | DATIVE_PRESENT

    def future_forms(root: str) -> None:
        # root: the future stem ("prenoter", "capir", "sar")
        tu_future[root + "ai"] = root + "à"
        lei_future[root + "à"] = root + "ai"
        for ending in ("ò", "à", "emo", "anno", "ei", "ebbe", "emmo", "ebbero"):
            fut_cond.add(root + ending)
            finite.add(root + ending)

    for stem in ARE_STEMS:
        hard = soft(stem, "e")
        root = IRREGULAR_FUTURE_STEMS.get(stem, hard + "er")
        future_forms(root)
        if stem in INTRANSITIVE_STEMS:
            intransitive.update({stem + "a", root + "à", root + "anno", stem + "ano"})
        tu_imperative[stem + "a"] = soft(stem, "i") + "i"
        lei_present[stem + "a"] = soft(stem, "i") + "i"
        lei_subjunctive[soft(stem, "i") + "i"] = stem + "a"
        participles.add(stem + "ato")
        finite.update({stem + "a", stem + "ano", soft(stem, "i") + "iamo", stem + "o"})
    for stem, subjunctive in ERE_IRE.items():
        isc = subjunctive.endswith("isca") and not stem.endswith("isc")
        tu_present = stem + ("isci" if isc else "i")
        # "-gli-" verbs keep the "i" of the stem before "e": "sceglie", "raccoglierà"
        palatal = stem + "i" if stem.endswith("gl") else stem
        third = stem + "isce" if isc else palatal + "e"
        lei_subjunctive[subjunctive] = tu_present
        lei_present[third] = tu_present
        ire = isc or stem in {"apr", "offr", "scopr", "riscopr", "part", "sent", "segu", "sped"}
        future_forms(IRREGULAR_FUTURE_STEMS.get(stem, palatal + ("ir" if ire else "er")))
        participles.add(stem + ("ito" if ire else "uto"))
        finite.update({third, stem + "iamo", stem + "ono", stem + "o"})
    for root in IRREGULAR_FUTURE_STEMS.values():
        future_forms(root)
    # A 3rd person future written without its accent ("ricevera", "potra"): the same person,
    # save for words that are something else without it ("terra", the name "Sara").
    for form, tu_form in list(lei_future.items()):
        plain = form[:-1] + "a"
        if plain not in UNACCENTED_NOT_FUTURE:
            lei_future[plain] = tu_form
    person_object: set[str] = set()
    for stem in PERSON_OBJECT_ARE:
        root = IRREGULAR_FUTURE_STEMS.get(stem, soft(stem, "e") + "er")
        person_object.update({stem + "a", stem + "ano", soft(stem, "i") + "iamo"})
        person_object.update(root + e for e in ("à", "emo", "anno", "ebbe", "emmo", "ebbero"))
    for stem in PERSON_OBJECT_ERE_IRE:
        root = stem + ("ir" if stem in {"segu", "serv"} else "er")
        person_object.update(
            {stem + "e", stem + "ono", stem + ("amo" if stem[-1] == "i" else "iamo")}
        )
        person_object.update(root + e for e in ("à", "emo", "anno", "ebbe", "emmo", "ebbero"))
    # The imperfect's 2nd person ("sapevi", "cercavi"), from the lexicon: the ending alone is
    # also a plural noun's ("chiavi", "motivi").
    tu_imperfect = dict(IRREGULAR_TU_IMPERFECT)
    for stem in ARE_STEMS:
        tu_imperfect[stem + "avi"] = stem + "ava"
    for stem, subjunctive in ERE_IRE.items():
        vowel = "i" if subjunctive.endswith("isca") or stem in IRE_STEMS else "e"
        palatal = stem + "i" if stem.endswith("gl") and vowel == "e" else stem  # "sceglievi"
        tu_imperfect[palatal + vowel + "vi"] = palatal + vowel + "va"
    return Forms(
        tu_future,
        lei_future,
        lei_subjunctive,
        tu_imperative,
        lei_present,
        frozenset(fut_cond),
        frozenset(participles),
        frozenset(finite),
        frozenset(intransitive),
        frozenset(person_object),
        tu_imperfect,
        {lei: tu for tu, lei in tu_imperfect.items() if lei != "era"},
    )


FORMS = _build()


def is_participle(word: str) -> bool:
    """A past participle (masculine singular, the form that agrees with nothing)."""
    return word in FORMS.participles or (
        len(word) > 5 and word.endswith(("ato", "uto", "ito")) and word not in {"subito"}
    )


_FUTURE_ENDINGS = ("erò", "irò", "erà", "irà", "eremo", "iremo", "eranno", "iranno")
_CONDITIONAL_ENDINGS = ("erebbe", "irebbe", "eremmo", "iremmo", "erei", "irei", "erebbero")


def is_third_future(word: str) -> bool:
    """A 3rd person singular future ("riceverà", "dirà"): by its ending, or the lexicon."""
    return word in FORMS.lei_future or (len(word) > 4 and word.endswith("rà"))


def is_second_future(word: str) -> bool:
    """A 2nd person singular future ("capirai", "dirai"): tu."""
    return word in FORMS.tu_future or (len(word) > 5 and word.endswith(("erai", "irai")))


_SECOND_CONDITIONAL_IRREGULAR = frozenset(
    root + "esti" for root in IRREGULAR_FUTURE_STEMS.values() if root.endswith("r")
)


def is_second_conditional(word: str) -> bool:
    """A 2nd person singular conditional ("avresti", "ameresti", "preferiresti"): tu."""
    return word in _SECOND_CONDITIONAL_IRREGULAR or (
        len(word) > 7 and word.endswith(("eresti", "iresti"))
    )


# Verbs whose object is a person reached "to": their "le" is the reader's ("le risponderà").
DATIVE_STEMS = (
    "rispond",
    "telefon",
    "piac",
    "serv",
    "dispiac",
    "sembr",
    "manc",
    "spett",
    "conven",
    "convien",
    "capit",
    "succed",
    "giov",
    "scriv",
)
# Words ending like an imperfect subjunctive that are something else: "se stesse"
# (themselves), participles and nouns of -mettere and -cedere ("promesse", "successi").
NOT_IMPERFECT_SUBJUNCTIVE = (
    "stesse",
    "stessi",
    "messe",
    "messi",
    "cesse",
    "cessi",
    "teresse",
    "teressi",
)
# Conjunctions that take the subjunctive of a hypothesis: "qualora avesse bisogno".
HYPOTHESIS = {"se", "qualora", "casomai", "semmai"}


def is_third_imperfect_subjunctive(word: str) -> bool:
    """ "avesse", "ordinasse", "fosse": 3rd person singular (the reader as Lei after "se")."""
    return word == "fosse" or (
        len(word) > 5
        and word.endswith(("asse", "esse", "isse"))
        and not word.endswith(NOT_IMPERFECT_SUBJUNCTIVE)
    )


def is_second_imperfect_subjunctive(word: str) -> bool:
    """ "avessi", "ordinassi", "fossi": 2nd (or 1st) person singular."""
    return word == "fossi" or (
        len(word) > 5
        and word.endswith(("assi", "essi", "issi"))
        and not word.endswith(NOT_IMPERFECT_SUBJUNCTIVE)
    )


def is_future_or_conditional(word: str) -> bool:
    """A future or conditional form, any person but the 2nd (those are tu or voi)."""
    if word in FORMS.future_or_conditional:
        return True
    return len(word) > 5 and word.endswith(_FUTURE_ENDINGS + _CONDITIONAL_ENDINGS)


def is_finite(word: str) -> bool:
    return word in FORMS.finite or is_future_or_conditional(word) or word in AVERE or word in ESSERE
