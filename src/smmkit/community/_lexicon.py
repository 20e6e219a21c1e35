"""The default classifier's lexicons: Italian and English cues per category, with weights.

Each group is ``(language, cue, feature, weight, entries)``. ``feature`` is what the group adds
to (a category, or a signal such as ``contempt`` or ``experience`` that the decision reads);
``cue`` is the name shown in a classification's cues (``"it:insult:stronzo"``). Entries are
written in plain lowercase and matched after the same normalisation as the text (accents folded,
repeated letters squeezed, slang expanded):

- ``word``: the word itself;
- ``stem*``: any word starting with the stem (Italian inflection: ``schif*`` matches "schifo",
  "schifosi", "schifezza");
- ``two words``: a phrase of consecutive words (each may be a ``stem*``).

Weights are rough log-odds: 3 is decisive on its own, 1 is a hint that needs company.
"""

from __future__ import annotations

__all__ = ["LEXICON", "SHORTENERS", "SLANG"]

# Slang and chat abbreviations, expanded before matching (folded, lowercase, whole words).
SLANG: dict[str, str] = {
    # Italian
    "xke": "perche",
    "xk": "perche",
    "xché": "perche",
    "pk": "perche",
    "pke": "perche",
    "perke": "perche",
    "cmq": "comunque",
    "cmnq": "comunque",
    "nn": "non",
    "ke": "che",
    "k": "che",
    "x": "per",
    "sn": "sono",
    "nnt": "niente",
    "qnd": "quando",
    "qnt": "quanto",
    "qst": "questo",
    "qlc": "qualche",
    "qlcs": "qualcosa",
    "dv": "dove",
    "dx": "destra",
    "sx": "sinistra",
    "tt": "tutto",
    "tvb": "ti voglio bene",
    "grz": "grazie",
    "grazi": "grazie",
    "raga": "ragazzi",
    # Roman and southern spellings
    "cojone": "coglione",
    "cojoni": "coglioni",
    "mejo": "meglio",
    "nun": "non",
    "na": "una",
    "prof": "professore",
    "risp": "rispondete",
    "rispo": "rispondete",
    "info": "informazioni",
    "like4like": "like for like",
    "likeforlike": "like for like",
    "follow4follow": "follow for follow",
    "followforfollow": "follow for follow",
    "followme": "follow me",
    "instagood": "follow me",
    "infos": "informazioni",
    "tnx": "thanks",
    "thx": "thanks",
    "ty": "thanks",
    "tks": "thanks",
    "pls": "please",
    "plz": "please",
    "pliz": "please",
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "y": "why",
    "cuz": "because",
    "coz": "because",
    "bc": "because",
    "bcuz": "because",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "dunno": "do not know",
    "idk": "i do not know",
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "isnt": "is not",
    "wasnt": "was not",
    "havent": "have not",
    "hasnt": "has not",
    "aint": "is not",
    "whats": "what is",
    "wheres": "where is",
    "hows": "how is",
    "thats": "that is",
    "its": "it is",
    "youre": "you are",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2morrow": "tomorrow",
    "2day": "today",
    "b4": "before",
    "msg": "message",
    "pm": "message",
    "dm": "message",
    "dms": "message",
    "fb": "facebook",
    "ig": "instagram",
    "insta": "instagram",
}

SHORTENERS: frozenset[str] = frozenset(
    {
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "t.ly",
        "s.id",
        "v.gd",
        "bl.ink",
        "lnkd.in",
        "linktr.ee",
        "shorte.st",
        "adf.ly",
        "bitly.com",
        "qrco.de",
        "urlz.fr",
        "amzn.to",
        "wa.me",
        "t.me",
    }
)

# (language, cue, feature, weight, entries separated by "|")
LEXICON: tuple[tuple[str, str, str, float, str], ...] = (
    # Not turning up, not arriving: negated, a complaint ("non si è presentato", "didn't show up").
    (
        "en",
        "function",
        "function",
        1.0,
        "show up|showed up|turn up|turned up|arrived",
    ),
    (
        "it",
        "function",
        "function",
        1.0,
        "si e presentato|si e presentata|si sono presentati|si e fatto vivo|si e fatta viva",
    ),
    # Words of suffering about a thing (a complaint when they are the point).
    ("en", "negative", "complaint", 2.0, "torture|torturous|agony"),
    ("it", "negative", "complaint", 2.0, "tortura|un supplizio|agonia"),
    # Self-promotion: the writer's own shop, channel or profile (the Italian forms were there).
    (
        "en",
        "spam",
        "spam",
        3.0,
        "link in profile|link in my profile|my online store|my online shop|on my channel",
    ),
    ("en", "threat", "abuse", 3.0, "smash your|i will smash|i will smash your"),
    ("it", "contempt", "contempt", 2.0, "trovati una vita|fatti una vita"),
    # Verbs of working: negated ("never works", "non funzionava") they are a complaint.
    ("en", "function", "function", 1.0, "work|works|worked|working"),
    ("it", "function", "function", 1.0, "funziona|funzionano|funzionava|funzionavano|funzionato"),
    # Intent to collect or take what one asks about: a purchase.
    (
        "en",
        "lead",
        "lead",
        3.0,
        "i will pick it up|i will pick them up|i will collect it|i will take it|i will buy it"
        "|i will come and get it|i will come by to get",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "passo a prenderlo|passo a prenderla|passo a prenderli|passo a prenderle|passo a ritirarlo"
        "|passo a ritirarla|vengo a prenderlo|vengo a prenderla|vengo a ritirarlo",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "free followers|free likes|get followers|gain followers|buy followers|more followers"
        "|real followers|followers fast|10k followers|grow your account|grow your page"
        "|check my profile|check out my profile|visit my profile|check my page|check my bio"
        "|link in bio|link in my bio|click the link|click here|click link|tap the link"
        "|earn money|make money|earn from home|work from home|per day from home|a day from home"
        "|passive income|financial freedom|forex|invest with|investment plan|promote it on"
        "|promote your|send it to @|send pic to|collab with us|brand ambassador|dm to collab"
        "|dm us to collab|message us to collab|win a free|claim your|claim now"
        "|you have been selected|you won|giveaway winner|free gift|free iphone|gift card"
        "|onlyfans|my content|hot pics|adult content|sugar daddy|cash app|cashapp|limited offer"
        "|act now|hurry up and|whatsapp me",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "follower gratis|like gratis|follower facili|follower veri|compra follower"
        "|aumenta i tuoi follower|aumentare follower|segui @|seguitemi|seguimi|ricambio follow"
        "|guarda il mio profilo|visita il mio profilo|passa dal mio profilo|link in bio"
        "|clicca qui|clicca il link|clicca sul link|guadagna*|guadagno da casa|lavoro da casa"
        "|lavora da casa|soldi facili|al giorno da casa|reddito passivo|criptovalut*|vinci un"
        "|hai vinto|sei stato selezionato|sei stata selezionata|iphone gratis|regalo subito"
        "|buono regalo|ritira il premio|scrivimi in privato per|collaborazione retribuita"
        "|diventa ambassador|scrivi su whatsapp|contattami su whatsapp|offerta limitata",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.0,
        "followers|promo|dm|message me|inbox me|profit|income|cash|earn|bonus|free|winner"
        "|congratulations|congrats you|selected|offer|sponsor|viral|boost|promo code"
        "|discount code|ambassador|bitcoin|crypto*|trading|investment",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.0,
        "follower|promo|soldi|guadagno|gratis|gratuito|premio|vincitore|complimenti hai"
        "|congratulazioni|offerta|sponsor|virale|regalo|codice sconto|ambassador|investi*"
        "|trading|bitcoin",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "stronz*|idiot*|imbecill*|cretin*|deficient*|coglion*|minchion*|testa di cazzo"
        "|pezzo di merda|pezzi di merda|merdos*|bastard*|puttan*|troia|troie|zoccol*|vaffanculo"
        "|fanculo|affanculo|fottet*|fottiti|vai a cagare|andate a cagare|schifos*|scem*"
        "|ritardat*|mongolo*|mongoloid*|handicappat*|frocio|froci|ricchion*|negro|negri|terron*"
        "|polenton*|zingar*|ladri|ladro|ladroni|truffator*|imbroglion*|criminal*|delinquent*"
        "|buzzurr*|cafon*|somar*|porco|porci|cesso|cessi|fallit*|sfigat*|babbe*|rincoglion*"
        "|stupid*|demente|dementi|vergognatevi|vergognati|fate schifo|fai schifo"
        "|siete uno schifo|chiudete baracca|chiudete tutto|dovete chiudere|morite|crepate"
        "|ammazzatevi|vi ammazzo|ti ammazzo|schifo di gente|gentaglia|feccia|merde|pezzent*"
        "|parassit*|sciacall*|venduti|lurid*|vaffa|di merda",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "idiot*|moron*|stupid*|dumb|dumbass*|imbecile*|retard*|fuck you|fuck off|fuck u|stfu"
        "|shut up|asshole*|arsehole*|bastard*|bitch*|cunt*|dick|dicks|dickhead*|jerk|jerks"
        "|loser*|scum*|scumbag*|clown|clowns|dipshit*|douche*|wanker*|twat*|prick|pricks|fck"
        "|fuk|fkn|fking|fcking|piece of shit|pieces of shit|piece of crap|go to hell"
        "|burn in hell|rot in hell|go die|just die|hope you die|kill yourself|kys|trash people"
        "|you people|useless people|scammer*|thieves|thief|crook|crooks|crooked people"
        "|fraudster*|liars|liar"
        "|criminals|shut it down|shut down|garbage people|subhuman|disgusting people|you suck"
        "|u suck|morons|fools|hypocrite*|degenerate*",
    ),
    (
        "it",
        "contempt",
        "contempt",
        2.0,
        "schifo|schifezz*|merda|porcheria|porcherie|vergogna|vergognoso|vergognosa|ridicol*"
        "|pessim*|penos*|squallid*|indecent*|da discount|spazzatura|immondizia|monnezza"
        "|munnezza|una truffa|truffa|furto|rapina|cazzo|cazzate|fa cagare|fanno cagare"
        "|che cagata|cagata",
    ),
    (
        "en",
        "contempt",
        "contempt",
        2.0,
        "garbage|trash|crap|crappy|shit|shitty|rubbish|disgrace|disgraceful|ridiculous|joke"
        "|rip off|ripoff|scam|fraud|robbery|daylight robbery|sucks|fucking|fuckin|wtf|bullshit"
        "|pathetic service|worst|horrible|awful|terrible|disgusting",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "deluso|delusa|delusi|deluse|delusione|deludente|mai piu|mai più|non torno"
        "|non torneremo|non tornero|non ci torno|sconsiglio|sconsigliato|lamentel*|reclam*"
        "|rimborso|rimborsare|risarcimento|inaccettabil*|vergognoso|pessim*|orrib*|schifo"
        "|disgustos*|immangiabil*|freddo|fredda|freddi|fredde|crudo|cruda|bruciat*|stantio"
        "|rancid*|scadut*|avariat*|in ritardo|ritardo|attesa|aspettato|aspettare|aspetto da"
        "|aspettiamo|ancora non|non e arrivato|non e mai arrivato|non arriva|mai arrivato"
        "|mai arrivata|non mi avete|non mi hanno|nessuna risposta|nessuno risponde"
        "|non rispondete|non risponde|ignorat*|maleducat*|scortes*|sgarbat*|antipatic*"
        "|arrogant*|sbagliat*|sbagliato ordine|rott*|difettos*|danneggiat*|rovinat*|sporc*"
        "|puzza|lento|lenta|lenti|lente|niente di speciale|non e ancora arrivato"
        "|ancora arrivato|capello nel|mosca|scarafagg*|insetto|mal di pancia|intossicazion*"
        "|stato male|sono stata male|sono stato male|costoso|carissimo|prezzi alti|troppo caro"
        "|porzioni piccole|porzione ridicola|non vale|peccato|purtroppo|male|malissimo|scars*"
        "|mediocre|insipid*|salato|bruciacchiat*|stracott*|scotta|scotto|annullat*|cancellat*"
        "|addebitat*|addebito|doppio addebito|spedizione lenta|non funziona|non funzionava"
        "|si e rotto|si e rotta|scucit*|stinto|restringe|ristretto|taglia sbagliata"
        "|colore diverso|diverso dalla foto|non corrisponde|ci avete messo|trattati male"
        "|trattato male|trattata male|nessuno ci ha|ore di attesa|minuti di attesa"
        "|servizio lento|lentissim*|disorganizzat*|caos|disservizio|truffat*|fregat*"
        "|presi in giro|presa in giro|preso in giro|non e possibile|ma vi sembra|ma come si fa"
        "|ancora aspetto|sto ancora aspettando|sono ancora in attesa|figuraccia|delusion*",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "disappoint*|never again|not coming back|never coming back|won t be back"
        "|will not be back|avoid|not recommend|do not recommend|complain*|refund*|money back"
        "|unacceptable|cold|stale|burnt|burned|raw|undercooked|overcooked|expired|spoiled"
        "|rotten|mouldy|moldy|late|delayed|delay|still waiting|waited|waiting for|wait time"
        "|hours wait|minutes wait|never arrived|never came|has not arrived|not arrived"
        "|hasn t arrived|did not arrive|did not receive|never received|not received|missing"
        "|lost my|wrong order|wrong item|wrong size|wrong color|wrong colour|damaged|broken"
        "|broke|defective|faulty|ripped|torn|shrunk|faded|rude|unfriendly|impolite|dirty|filthy"
        "|hair in|fly in|bug in|cockroach|food poisoning|got sick|sick after|overpriced"
        "|too expensive|expensive|rip off|tiny portion|small portion|not worth|waste of money"
        "|waste of time|bland|tasteless|soggy|greasy|salty|mediocre|poor|poorly|bad|badly|worse"
        "|worst|terrible|awful|horrible|no response|no reply|nobody answers|ignored|ignoring"
        "|unanswered|charged twice|double charged|overcharged|cancelled|canceled|still no"
        "|not working|does not work|stopped working|fell apart|not as described"
        "|looks nothing like|misleading|slow service|so slow|unhelpful|useless customer"
        "|customer service is|sort it out|fix this|what a joke|ruined|let down|letdown|shame"
        "|sad to say|unfortunately|not happy|not impressed|not good|not great|nothing like"
        "|nothing special|hate|hated|slow|pretty bad|what a mess|what a shame|what a waste",
    ),
    (
        "it",
        "experience",
        "experience",
        1.0,
        "ordine|ordinato|ordinazione|consegna|consegnato|corriere|pacco|spedizione|rider"
        "|cameriere|cameriera|personale|servizio|conto|scontrino|tavolo|pizza|caffe|cornetto"
        "|cornetti|panino|piatto|piatti|porzione|minuti|ore|giorni|settimane|settimana|reso"
        "|resi|rimborso|prodotto|taglia|maglia|vestito|scarpe|camera|stanza|hotel|colazione"
        "|doccia|palestra|abbonamento|istruttore|app|sito|carta|pagamento|cassa|prenotazione"
        "|attesa|sabato|domenica|ieri|stasera|oggi",
    ),
    (
        "en",
        "experience",
        "experience",
        1.0,
        "order|ordered|delivery|delivered|courier|parcel|package|shipping|driver|waiter"
        "|waitress|staff|service|bill|receipt|table|pizza|coffee|croissant|sandwich|dish|meal"
        "|portion|minutes|mins|hours|days|weeks|week|return|refund|product|size|shirt|dress"
        "|shoes|room|hotel|breakfast|shower|gym|membership|trainer|app|website|card|payment"
        "|checkout|booking|reservation|yesterday|tonight|today|last night",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "buon*|bont*|delizios*|squisit*|gustos*|saporit*|favolos*|fantastic*|meraviglios*"
        "|stupend*|splendid*|bellissim*|bell*|magnific*|eccezional*|eccellent*|ottim*|perfett*"
        "|top|topp*|spettacol*|pazzesc*|incredibil*|strepitos*|divin*|sublim*|brav*|complimenti"
        "|grazie|grazie mille|grande|grandi|grandissim*|mitic*|mito|adoro|amo|amore|innamorat*"
        "|consiglio|consigliatissim*|consigliato|consigliata|il migliore|la migliore|i migliori"
        "|le migliori|migliore di|wow|che bont|che spettacolo|che meraviglia|da leccarsi"
        "|fatto bene|gentil*|cordial*|simpatic*|accoglient*|professional*|puntual*|veloc*"
        "|rapid*|impeccabil*|fenomenal*|fighissim*|figo|figa|fico|gasat*|felic*|soddisfatt*"
        "|contento|contenta|contenti|non male|niente male|mai deluso|mai delusa|continuate cosi"
        "|sempre una garanzia|una garanzia|ammazza che|quanto e buono|quanto e bello|che buono"
        "|che bello|che bella|bella zio|bella raga|spacca|spaccano|spaccate|goduria|libidine"
        "|slurp|gnam|yummy|carino|carina|carini|belle|deliziosa|fresco|fresca|freschissim*"
        "|profumo|profumat*|morbid*|croccant*|genial*|che figata|figata|tanta roba|una bomba"
        "|bomba|sei un mito|siete mitici|siete i migliori",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "love|loved|loving|lovely|amazing|awesome|great|good|best|excellent|fantastic|fabulous"
        "|wonderful|beautiful|gorgeous|stunning|delicious|yummy|yum|tasty|perfect|perfection"
        "|incredible|outstanding|superb|brilliant|fab|gem|favourite|favorite|recommend"
        "|highly recommend|not bad|never disappoint*|how good|how cute|how lovely|how beautiful"
        "|thank you|thanks|thankyou|kind|friendly|helpful|lovely staff|so good|nice|cute"
        "|adorable|obsessed|impressed|happy|glad|well done|keep it up|keep up|top notch"
        "|on point|fire|lit|slaps|bussin|goat|wow|fresh|quick|fast delivery|on time|spot on"
        "|blown away|heaven|heavenly|divine|to die for|worth it|worth every|looks amazing"
        "|looks great|looks delicious|so pretty|pretty|cozy|cosy|clean|comfy|comfortable|smooth"
        "|legend|legends|the best|10/10|five stars|5 stars",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "prenotare|prenoto|prenotazione|prenotazioni|prenotarsi|prenotarmi|prenotabile"
        "|prenotiamo|vorrei ordinare|vorrei comprare|vorrei acquistare|vorrei prendere"
        "|vorrei un|vorrei una|vorrei il|vorrei la|vorrei due|vorrei tre"
        "|vorrei sapere il prezzo|vorrei regalare|voglio ordinare|voglio comprare"
        "|posso ordinare|posso comprare|si puo ordinare|si puo comprare|come posso ordinare"
        "|come posso acquistare|come si ordina|come faccio a ordinare|come faccio ad ordinare"
        "|come faccio a comprare|acquistare|acquisto|acquistarlo|acquistarla|comprare|compro"
        "|comprarlo|comprarla|comprarne|comprarli|ordinare|ordinarlo|ordinarla|ordinarne|ordino"
        "|preventivo|quanto costa|quanto costano|quanto viene|quanto vengono|quanto costerebbe"
        "|prezzo|prezzi|costo|costi|listino|disponibil*|ancora disponib*|la avete|lo avete"
        "|li avete|le avete|c e ancora|ce ancora|ci sono ancora|avete la taglia|avete la m"
        "|avete la s|avete la l|in taglia|taglia m|taglia s|taglia l|taglia xl|spedite a"
        "|spedite in|spedizione in|spedizione a|spedizione per|consegnate a|consegnate in"
        "|tavolo per|un tavolo|posti per|camera per|una camera|una doppia|una singola|notti"
        "|per persone|per 2|per 4|per due|per quattro|per sei|abbonarmi|iscrivermi|iscriversi"
        "|iscrizione|abbonamento mensile|lezione di prova|prova gratuita|mi interessa"
        "|interessata|interessato|interessati|ne vorrei|info prezzo|info prezzi"
        "|in privato il prezzo|torta per|su ordinazione|asporto per|ritiro|ritirare|mi mandate"
        "|mandatemi|mi scrivete|inviatemi",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "book|booking|reserve|reservation|table for|a table|room for|a room|double room|nights"
        "|for 2|for two|for 4|for four|for six|people on|i want to order|i d like to order"
        "|i would like to order|id like to order|i would like to buy|i d like to buy"
        "|i want to buy|want to buy|like to buy|can i order|can i buy|could i order|can i get"
        "|could i get|how do i order|how can i order|how to order|where can i buy"
        "|where do i buy|purchase|buy one|buy it|buy this|buy these|order one|order it"
        "|order this|order some|pre order|preorder|pre-order|place an order|how much"
        "|how much is|how much are|how much does|price|prices|pricing|cost|costs|quote|rates"
        "|in stock|back in stock|restock|available|availability|still available"
        "|do you have it in|have it in|in size|size m|size s|size l|size xl|ship to|shipping to"
        "|deliver to|delivery to|send it to|shipping cost|shipping costs|sign up|signing up"
        "|join the gym|membership price|trial class|free trial|interested|i am interested"
        "|i ll take|ill take|i ll have|take two|need a cake|cake for|catering|gift card for"
        "|send me the price|send me the link|dm me the price|where to buy",
    ),
    (
        "it",
        "question",
        "question",
        1.5,
        "quando|dove|come mai|come si|come faccio|come funziona|cosa|che cosa|quale|quali"
        "|quanto|quanti|quante|perche|a che ora|che ora|che orari|orari|orario|aprite"
        "|chiudete alle|siete aperti|siete aperte|e aperto|avete|fate|c e|ce|si puo|e possibile"
        "|posso|potete|potrei|sapete|sai|e senza|contiene|ci sono|e vero che|info|informazioni"
        "|domanda|una domanda|mi chiedevo|chiedo|ma e|accettate|consegnate|spedite|si paga"
        "|bisogna|serve|servono|e adatto|e adatta|vale anche|funziona|parcheggio|dove si trova"
        "|indirizzo",
    ),
    (
        "en",
        "question",
        "question",
        1.5,
        "what|when|where|which|who|why|how|how long|what time|do you|does it|does the|is it"
        "|is there|are you|are there|are they|can i|can we|can you|could you|could i|will you"
        "|would you|should i|any chance|wondering|i wonder|question|quick question|info"
        "|opening hours|open on|open at|close at|gluten free|dairy free|vegan|vegetarian"
        "|allergens|accept|parking|address|location|is this|is that|anyone know",
    ),
    (
        "it",
        "sarcasm",
        "sarcasm",
        2.0,
        "grazie eh|grazie tante eh|complimenti davvero|bravi eh|bravi davvero|ottimo lavoro eh"
        "|bel servizio|che servizio|proprio un bel|complimentoni|ma bravi|bravissimi eh"
        "|servizio top eh|grazie di niente|grazie per niente|grazie per nulla|certo come no"
        "|come no|si vabbe|ottimo eh|bene bravi",
    ),
    (
        "en",
        "sarcasm",
        "sarcasm",
        2.0,
        "thanks for nothing|thanks a lot|great job guys|great service guys|well done guys"
        "|just great|just perfect|oh great|oh wonderful|love waiting|love that i|love how"
        "|way to go|yeah right|slow clap|real professional|so professional|five stars for",
    ),
    (
        "it",
        "greeting",
        "other",
        0.0,
        "buongiorno|buonasera|buonanotte|buon pomeriggio|buona giornata|buona serata"
        "|buongiornissimo|buonanottissima"
        "|buon appetito|buona domenica|buon weekend|buon fine settimana|buone feste|buon natale"
        "|buona pasqua|buon anno|buon compleanno|buona fortuna|in bocca al lupo",
    ),
    (
        "en",
        "greeting",
        "other",
        0.0,
        "good morning|good evening|good night|good afternoon|happy hour|happy birthday"
        "|happy new year|happy holidays|merry christmas|happy easter|what kind|kind of"
        "|kind regards|good luck",
    ),
    (
        "it",
        "past-purchase",
        "past",
        1.0,
        "comprato|comprata|comprati|comprate|ordinato|ordinata|ordinati|prenotato|prenotata"
        "|prenotati|acquistato|acquistata|acquistati|acquistate|ho preso|abbiamo preso"
        "|abbiamo mangiato|ho mangiato|siamo stati|sono stato|sono stata",
    ),
    (
        "en",
        "past-purchase",
        "past",
        1.0,
        "ordered|booked|bought|purchased|we had|i had|i got|we got|we ate|i ate|we stayed"
        "|i stayed|we went|i went",
    ),
    (
        "it",
        "mild-insult",
        "mild",
        2.0,
        "incapac*|incompetent*|buffon*|pagliacc*|ignorant*|ridicoli|dilettant*|inutili|bugiard*"
        "|falsi|maleducati|cialtron*|scansafatic*|sfaticat*|patetic*|zozzon*|sporcaccion*"
        "|meschin*|viscid*|saccent*|insopportabil*|un essere|una carogna|carogn*|spregevol*"
        "|fate pena|fai pena|mi fate pena|mi fai pena|fate pieta|fai pieta",
    ),
    (
        "en",
        "mild-insult",
        "mild",
        2.0,
        "incompetent|useless|clueless|amateurs|pathetic|liars|hopeless|jokers|lazy|greedy"
        "|slimy|petty|insufferable|know it all|creature|nasty piece of work|despicable|vile"
        "|pitiful|punchable",
    ),
    (
        "it",
        "target",
        "target",
        1.0,
        "siete|voi|gente|sei|tu|vi siete",
    ),
    (
        "en",
        "target",
        "target",
        1.0,
        "you|you are|you guys|you people|u|ya|your people",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "verify your account|verify now|account will be disabled|account will be deleted"
        "|account has been flagged|page has been flagged|copyright violation|appeal within"
        "|hacked account|recover your account|recover your hacked|get verified|blue tick"
        "|follow for follow|f4f|l4l|follow back|i always follow back|sell followers"
        "|selling followers|selling accounts|buy likes|likes and views|grow on instagram"
        "|get featured|be featured|featured on our page|paid partnership|online job|remote job"
        "|get paid to|sign up now|lost * pounds|lose weight fast|inbox me|private pics"
        "|see my pics|lonely tonight|telegram group|free signals|profit guaranteed"
        "|guaranteed results|doubled my|tripled my|quit my 9 to 5|paid off my",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "verifica il tuo account|verifica l account|account verra disattivato|violato le norme"
        "|account hackerato|recupero account|recuperare l account|spunta blu|vendo follower"
        "|vendo like|vendo account|compra like|crescere su instagram|crescere su tiktok"
        "|cerchiamo influencer|cerco influencer|prodotto gratis|prodotti gratis"
        "|contenuti esclusivi|contenuti piccanti|canale telegram|gruppo telegram"
        "|regala ricariche|ricarica gratis|perdere * kg|dimagrire|ho triplicato|ho raddoppiato"
        "|ho pagato il mutuo|trading automatico|apparire in esplora|scrivimi su whatsapp"
        "|lavoro online|lavora con noi da casa|guadagni da|sul mio canale|la mia pagina"
        "|mio profilo|nella mia bio|nel mio profilo",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.5,
        "contact @|dm @|message @|text @|follow @|check @|visit @|from home|whatsapp|telegram"
        "|my page|my profile|my bio|my channel|recruiter|hiring now|giveaway|lucky winner",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "contatta @|contattare @|contattate @|seguite @|scrivi a @|scrivete a @|whatsapp"
        "|telegram|in privato|in dm|estrazione|vincitrice|sei stato scelto|sei stata scelta"
        "|influencer|collaborare|collaborazione",
    ),
    (
        "en",
        "rate",
        "rate",
        1.0,
        "a day|per day|a week|per week|weekly|a month|per month|monthly|an hour|per hour",
    ),
    (
        "it",
        "rate",
        "rate",
        1.0,
        "al giorno|a settimana|alla settimana|al mese|all ora|in un giorno|in una settimana",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "disgrace of a human|waste of space|waste of oxygen|f off|eff off|you are a joke"
        "|go back to where you came from|back to your country|thick as a brick|stupid cow"
        "|cheapskate*|fraud|parasite*|fucker*|motherfucker*|you are ugly|so ugly",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "sei una barzelletta|tornatene al tuo paese|tornatevene al vostro paese|al vostro paese"
        "|testa di cazzo|teste di cazzo|poveracci|poveraccio|sei brutta|sei brutto"
        "|siete brutti|che razza di|sfigat*",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "out of order|has been down|is down|was down|zero replies|zero response|no replies"
        "|charging me|charged me|charge me twice|did not get|never got|wrong|still nothing"
        "|has not moved|tracking|spilled|spilt|inedible|chewy|noisy|room was tiny|cramped"
        "|lukewarm|did not work|was not working|boiling|freezing|for nothing|pointless|too much"
        "|not worth the|apologise|apologize|whole time|rash|allergic reaction|what happened to"
        "|flat coke|went flat|on hold|but today|but this time|what s going on|what is going on",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "secco|secca|secchi|non e piu quello|non e piu quella|scadente|allergia|gonfi*"
        "|inesistente|ci hanno fatto aspettare|ci hanno fatto sedere|acido|acida|fuori servizio"
        "|non funzionava|non funzionano|nessuna risposta|zero risposte|tracking|fermo da"
        "|rovesciat*|immangiabile|gommos*|rumoros*|piccolissim*|non si e nemmeno scusato"
        "|nemmeno scusat*|spacciandolo|per niente|inutile|troppi|sono troppi|ancora niente"
        "|ancora nulla|ma stavolta|ma questa volta|che succede|un furto|coppetta piccola"
        "|sempre al telefono|ore al telefono|scolorit*|scucit*|sformat*|difetto",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "cleanest|friendliest|nicest|tastiest|freshest|loveliest|finest|greatest|coolest"
        "|yummiest|kindest|value for money|great price|good price|fair price|you are stars"
        "|over the moon|like a dream|hands down|showstopper|prettier|right at home|cosy"
        "|oh my god these|so happy|thank you for everything|brilliant|what a view|what a treat"
        "|what a place|what a beauty|patience",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "rapporto qualita prezzo|qualita prezzo|prezzo onesto|prezzi onesti|prezzi giusti"
        "|madonna che|che bonta|da dio|felicissim*|preferit*|preparatissim*|disponibilissim*"
        "|pazienza|senza dubbio|finalmente un|finalmente una|ci torneremo|torneremo",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "any rooms|rooms free|room free|free table|any tables|any space|any availability"
        "|there are 3 of us|there are 4 of us|party of|i will take|ill take|will take"
        "|i d like the|i would like the|we would need|we d need|looking for a room"
        "|looking for a table|enrol|enroll|how much to|how much for|what are the costs"
        "|is the * offer still|still on|can i have it delivered|delivered to",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "camere libere|camera libera|posti liberi|tavolo libero|tavoli liberi|siamo in"
        "|siamo una coppia|cerchiamo una camera|cerchiamo un tavolo|mi servirebbe"
        "|mi servirebbero|ci servirebbe|ci servirebbero|ne servirebbero|ne servono|iscrivere"
        "|vorrei venire|info costi|quanto viene|quanto verrebbe|riceverla|riceverlo|spedire in"
        "|spedire a|vorrei prendere",
    ),
    (
        "it",
        "lead-weak",
        "lead",
        2.0,
        "lo prendo|la prendo|ne prendo|li prendo|le prendo",
    ),
    (
        "en",
        "question",
        "question",
        1.5,
        "how late|how early|what time|does the|do the|any * limit|is the|are the|can kids",
    ),
    (
        "it",
        "greeting",
        "other",
        0.0,
        "forza|tanti auguri|auguri|buona domenica a tutti",
    ),
    (
        "en",
        "greeting",
        "other",
        0.0,
        "happy sunday|come on|what a day|happy monday",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "guarda|guarda qui|ci andiamo|andiamo|ti ricordi|ricordati|dobbiamo andare|tocca a te"
        "|ecco dove|ci vediamo|chi c era|chi era|quello in foto|quella in foto|stasera partita",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "look at this|shall we|we should go|let us go|remember|your turn|this is the place"
        "|see you|who was|is that * in the photo|told you about",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "piu follower|tanti follower|follower in|mille follower",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "frutta secca|frutti di bosco|senza dubbio no|sala d attesa|sala di attesa",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "marketing expert|digital marketing|bring you * customers|more customers|google reviews"
        "|5 star reviews|sell reviews|buy reviews|shoutout|shoutouts|dropshipping|hit me up"
        "|limited spots|making money|make money online|follow and share|like and share"
        "|account back|got my account back|natural drops|lost * lbs|lost * kg|lost * pounds"
        "|weight loss|detox tea|website traffic|seo services|web design services"
        "|we can help you grow|increase your sales|cheap followers",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "marketing digitale|esperto di marketing|portarti * clienti|nuovi clienti|piu clienti"
        "|recensioni a 5 stelle|vendiamo recensioni|recensioni su google|sponsorizzazioni"
        "|dropshipping|posti limitati|fare soldi|guadagnare seriamente|ai primi|mi seguono e"
        "|segue e condivide|seguono e condividono|like e condividi|recuperato il mio account"
        "|gocce naturali|perso * kg|tisana dimagrante|iscriviti al mio|aumentare le vendite"
        "|traffico al sito|servizi seo|sito web professionale",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "trained monkeys|illiterate|dimwit*|halfwit*|nitwit*|disaster of a person"
        "|burns your place|burn your place|burn it down|shite|con artist*|exploiting|numpty"
        "|bellend*|tosser*|muppet*|pillock*|plonker*|knobhead*|sod off|bugger off|piss off"
        "|bloody idiots|lowlife|low life|vermin|braindead|brain dead|brainless|uneducated"
        "|imbeciles|vultures|leeches|i will find you|watch your back"
        "|you will regret|shut your mouth|little man|scumbags|cretins|dimwits",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "analfabet*|poveretto|poveretti|poveretta|bruci il locale"
        "|brucio il locale|vi brucio|sfruttator*|manica di|ebete|ebeti|cerebrolesi|cerebroleso"
        "|subnormal*|mentecatt*|decerebrat*|schifos*|sanguisughe"
        "|morti di fame|morto di fame|zotic*|trogloditi|pezzente|pezzenti|accattoni|infame"
        "|infami|vigliacc*|codardi|ti vengo a cercare|vi vengo a cercare|ve la faro pagare"
        "|te la faro pagare|stai zitto|stai zitta|state zitti|tappati la bocca"
        "|chiudi quella bocca|spero che qualcuno vi|spero che falliate|spero che chiudiate"
        "|merde|porco schifo",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "battery dead|dead after|died after|broke after|stopped working after|arrived open"
        "|arrived damaged|arrived broken|piece missing|part missing|was missing|were missing"
        "|cut on|injured|hurt|bleeding|so loud|too loud|loud music|noise|couldn t hear"
        "|could not hear|can not hear|how can you charge|how dare you|disgusting state"
        "|terrible state|filthy|gross|mushy|not fresh|wasn t fresh|was not fresh"
        "|not good enough|line drops|put on hold|still taking money|still charging|taking money"
        "|ripped|the first time i wore|first wash|ruined my|worst experience|bad experience"
        "|terrible experience|never received|never answered|no one answered|nobody replied",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "batteria morta|morta dopo|morto dopo|rotto dopo|rotta dopo|smesso di funzionare"
        "|arrivato aperto|pacco aperto|arrivato rotto|arrivata rotta|mancava|mancavano|manca un"
        "|mancante|taglio sull|ferit*|sangue|sanguinava|musica cosi alta|troppo alta"
        "|troppo forte|rumore|rumoroso|non si riusciva|non si sentiva|come fate a"
        "|come vi permettete|condizioni pietose|pietos*|poco fresco|poco fresca|non fresco"
        "|cade la linea|in attesa e|addebitate ancora|continuate ad addebitare|strappat*"
        "|prima uscita|primo utilizzo|pessima esperienza|brutta esperienza|esperienza negativa"
        "|mai ricevuto|mai ricevuta|nessuno ha risposto|riso scotto|non ci siamo",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "thrilled|delighted|stoked|ecstatic|grateful|appreciate|appreciated|smiling|to repeat"
        "|precise|best * ever|best * i have ever|top notch|cheers|10 out of 10"
        "|out of this world|smells heavenly|smells amazing|smells so good|heaven*"
        "|lovely surprise|super fresh|among the best|one of the best|incredible job|amazing job"
        "|great job|did an incredible|fixed in|so quick|very quick|super quick|so fast"
        "|really fast|quality|high quality|love it|loved it|love them|adore|gem|hidden gem"
        "|must try|must visit|worth the wait",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "migliore|migliori|precisissim*|precis*|profumino|che profumo|buon profumo|lode"
        "|10 e lode|sorpresa|bella sorpresa|da ripetere|sorridenti|sorridente|tra i piu buoni"
        "|tra le piu|un lavoro pazzesco|lavoro pazzesco|ottimo lavoro|gran lavoro|in un ora"
        "|daje|grandiosi|grandioso|qualita|alta qualita|gioiell*|da provare"
        "|assolutamente da provare|vale l attesa|una certezza|fantastica|fantastico|felice"
        "|felicissimo",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "what do you charge|how much do you charge|do you have space|have space for|put * aside"
        "|set * aside|would order|i would buy|would book|we would like to|we d like to"
        "|how do i buy|how can i buy|how do i get one|where do i get|can i reserve"
        "|can i have one|save me|hold one for me|keep one for me|looking to buy|looking to book"
        "|planning to book|thinking of booking|thinking of ordering",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "quanto chiedete|quanto prendete|avete posto|tenete da parte|mettere da parte"
        "|mettermi da parte|ordinerei|comprerei|prenoterei|prenderei|vorremmo|come si compra"
        "|come si acquista|si puo avere|potrei avere|mi tenete|tenetemi|ne vorremmo"
        "|vorremmo prenotare|pensavo di prenotare|pensavamo di prenotare",
    ),
    (
        "it",
        "question",
        "question",
        1.5,
        "ammessi|ammesse|ammesso|consentito|consentiti|permesso|si puo|fino a quando|serve"
        "|bisogna|e necessario|e obbligatorio|organizzate|si possono|si puo pagare|e vero",
    ),
    (
        "en",
        "question",
        "question",
        1.5,
        "allowed|permitted|until when|do i need|is it necessary|do you host|do you organise"
        "|do you organize|can tickets|can i bring|is it true|how does|how do",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "taglia grande|taglia piccola|cani di taglia|grande milano|grande roma|grande napoli",
    ),
    (
        "en",
        "neutral",
        "other",
        0.0,
        "large dogs|big dogs|big night|big game",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "vieni con me|venite con me|ci stai|ci andiamo insieme",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "coming with me|come with me|are you in",
    ),
    (
        "en",
        "lead-weak",
        "lead",
        2.0,
        "group of|space for|party of",
    ),
    (
        "it",
        "lead-weak",
        "lead",
        2.0,
        "gruppo di|posto per",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "brutta sorpresa|amara sorpresa|spiacevole sorpresa",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "bad surprise|nasty surprise|unpleasant surprise",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "put * * aside|set * * aside|keep * * for me",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "che abbia mai|che abbiamo mai|che io abbia mai",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "i have ever|i ve ever|ever had|ever tried|ever been",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "follow us|follow us too|order from the link|link on my profile|link in my profile"
        "|paid photo shoots|looking for girls|looking for models|noticed your profile"
        "|perfect for our brand|for our brand|influencer marketing|marketing agency"
        "|propose a collaboration|offer you a collaboration|more than my salary"
        "|in one month i made|work from your phone|from your phone",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "segui anche noi|seguiteci|seguici|ordina dal link|link nel mio profilo"
        "|link sul profilo|servizi fotografici retribuiti|cerco ragazze|cerchiamo ragazze"
        "|cerchiamo modelle|notato il tuo profilo|per il nostro brand|nostro brand"
        "|influencer marketing|proponiamo una collaborazione|proporti una collaborazione"
        "|del mio stipendio|in un mese ho guadagnato|solo per oggi|lavorare con noi",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.5,
        "message to @|send a message to|work with us|free shipping worldwide|program|agency",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "message a @|spedizioni gratis|programma di|agenzia",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "drop dead|go dig ditches|ignorant fool|fool|fools|human toilet*|filthy animals"
        "|you deserve to go under|you deserve to fail|hope you go under|face of a criminal"
        "|stupid face|you are all just",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "crepa|crepate|vai a zappare|andate a zappare|pirla|faccia da pirla"
        "|faccia da delinquente|vi meritate di fallire|meritate di fallire|animali schifosi",
    ),
    (
        "en",
        "question",
        "question",
        1.5,
        "or not|are you open|guys are you",
    ),
    (
        "it",
        "question",
        "question",
        1.5,
        "o no|siete aperti|raga ma",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "hole in|holes in|who checks|they promised|promised me|you promised|error"
        "|throws an error|keeps crashing|crashes|trying to cancel|can not cancel"
        "|unable to cancel|nobody to help|no one to help|nobody helped|no staff|was frozen"
        "|tasted burnt|ice cold|distracted|got something wrong|you got * wrong",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "buco|buchi|chi controlla|mi avevano promesso|avevate promesso|promesso|errore"
        "|da errore|si blocca|provo a disdire|impossibile disdire|non riesco a disdire"
        "|nessuno mi aiutasse|nessuno mi ha aiutato|personale assente|era surgelato|surgelat*"
        "|sapeva di bruciato|gelata|gelato era sciolto|distratt*|sbagliate",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "poetry|elegant|chic|stylish|classy|made my day|you made my day|saved the day"
        "|lightning fast|fast service|courtesy|compliments to the chef|michelin|you are a star"
        "|never miss|on top",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "poesia|una poesia|eleganza|elegant*|raffinat*|svoltato la giornata|mi avete svoltato"
        "|salvato la serata|rapidissim*|cortesia|cortes*|complimenti allo chef|michelin"
        "|non sbaglia mai|al top",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "still have places|places on|make an appointment|book an appointment|appointment"
        "|student discount|student discounts|discount for|taking bookings|bookings|reservations"
        "|do you still have|the link to buy|link to buy",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "ancora posti|posti per il|fissare un appuntamento|appuntamento|sconti studenti"
        "|sconto studenti|prendete prenotazioni|avete ancora|il link per comprare"
        "|link per comprare",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "anyone know if there",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "qualcuno sa se",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "want a refund|want my money back|give me my money back|irritated|irritation|zero"
        "|disorganised|disorganized|no organisation|queuing|queueing|queue|without telling me"
        "|without notice|without warning|last minute|doubled|not ok|price increase|wobbly"
        "|crumbs|covered in|was due|should have arrived|supposed to|what is the point"
        "|nothing left|sold out again|tastes of nothing|changed the recipe|change the recipe",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "vorrei un rimborso|voglio un rimborso|rivoglio i soldi|ridatemi i soldi|irritat*"
        "|organizzazione zero|zero|disorganizzazione|in fila|di fila|coda|senza avvisarmi"
        "|senza avvisare|senza preavviso|all ultimo minuto|raddoppiat*|non va bene"
        "|aumentato i prezzi|traballante|briciole|sporco di|doveva arrivare|avrebbe dovuto"
        "|che senso ha|non c era piu niente|sempre finito|non sa piu di niente|non sa di niente"
        "|cambiato ricetta",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "magical|magic|fun|comfy|generous|will definitely be back|will be back|we will be back"
        "|definitely be back|super instructor|super friendly|super nice|super tasty",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "magico|magica|magici|divertent*|comodissim*|comodo|comoda|ricca|ricco|da tornarci"
        "|ci torneremo|tornero sicuramente|torneremo sicuramente|super",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "i also sell|take a look at my shop|my shop|crazy deal|% off|financial advisor"
        "|savings grow|grow your savings|social media graphics|fast loan|loan|no guarantees"
        "|check your requests|check your dm"
        "|check your inbox|hacker|giving away|enter via the link|enter the draw|like for like"
        "|message me for|dm me for",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "vendo prodotti|anche io vendo|al mio shop|mio shop|offerta folle"
        "|consulente finanziario|i tuoi risparmi|rendere i tuoi|grafiche professionali|prestito"
        "|prestiti|senza garanzie|ti ho mandato un messaggio|controlla le richieste"
        "|controlla i messaggi|hacker|sto regalando|regalo a chi|partecipa dal link"
        "|partecipa anche tu|link nel profilo",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.5,
        # a customer also writes "I sent you a message about my order": a hint, not proof
        "follow me|scrivimi|only at|i sent you a private message|sent you a message",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "scrivimi|solo su",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "ashamed to exist|should be ashamed of themselves|i wish you all the worst"
        "|wish you the worst|you are a failure|failure|dunce|go back to school|sad losers",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "facce da culo|faccia da culo|culo|vergognarsi di esistere|vi auguro tutto il male"
        "|tutto il male del mondo|vi auguro il peggio|tornatene a scuola|tornate a scuola",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "how old is|what traffic",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "quanti anni ha|che traffico",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "ricambio subito|ricambio",
    ),
    (
        "it",
        "question",
        "question",
        1.5,
        "se la taglia non va bene|se non va bene|se non mi va",
    ),
    (
        "en",
        "question",
        "question",
        1.5,
        "if it does not fit|if they do not fit",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "contact us|dm us|message us|whatsapp us|we build|we make websites|we offer"
        "|private sale|half price|rock bottom prices|lowest price|lowest prices|miracle"
        "|swapping likes|swap likes|likes and comments|seeks * collaborators|home based|betting"
        "|safe bets|bets|tipster|steady income|pays you to|invite code|referral code|surveys"
        "|confirm your identity|has been reported|send me a message|who wants to try",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "contattaci|scrivici|scriveteci|noi facciamo|offriamo|vendita privata|a meta prezzo"
        "|prezzi stracciati|prezzi bassissimi|miracolos*|scambiarci like|scambio like"
        "|like e commenti|cerca collaboratori|cerchiamo collaboratori|scommesse|tipster"
        "|guadagno fisso|paga per|codice invito|sondaggi|conferma la tua identita"
        "|e stato segnalato|mi mandi un messaggio|chi vuole provare|scrivetemi in direct",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "get lost|snake|a snake|kick up the arse|racist*|go away",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "vai a quel paese|andate a quel paese|senza cervello|vipera|vipere|calcio in culo"
        "|razzist*|sparite",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "leaked|leaking|leak|degrees inside|too hot|air con was off|different from"
        "|does not match|you gave me|gave me the wrong|intolerant|arrived after|nobody called"
        "|never called back|called me back|as promised|cancelled my order|canceled my order",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "perdeva acqua|perde acqua|perdita|gradi|troppo caldo|aria condizionata spenta"
        "|diversi da|non corrispondono|mi avete dato|intollerante|arrivato dopo|arrivata dopo"
        "|nessuno mi ha richiamato|mai richiamato|come promesso|annullato l ordine",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "delight|a big hug|hug|like family|pampered|hands of gold|beautifully|beautifully made"
        "|well made|reborn|enchanting|knowledgeable|so warm|favourite pizzeria|punctual",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "delizia|abbraccio|un abbraccio|una famiglia|coccolat*|mani d oro|del cuore"
        "|ottima fattura|ben fatto|rinata|rinato|incantevol*|preparato|preparati|puntualissim*",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "discounts on|give discounts|wholesale|what would you offer|still room|in blue|in black"
        "|in red|in white|in green|in pink|in grey|in navy|in beige",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "fate sconti|sconti per|ingrosso|cosa ci proponete|cosa mi proponete|ancora posto"
        "|in blu|in nero|in rosso|in bianco|in verde|in rosa|in grigio|in beige",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "aspettando il weekend|aspettando l estate|aspettando venerdi|sto ancora aspettando il",
    ),
    (
        "en",
        "neutral",
        "other",
        0.0,
        "waiting for the weekend|waiting for summer|waiting for friday"
        "|still waiting for the weekend",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "who is coming|who s coming",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "chi viene",
    ),
    (
        "en",
        "positive",
        "praise",
        1.5,
        "adorable|appetizing|appetising|attentive|authentic|blissful|charming|cheerful"
        "|considerate|courteous|creative|crispy|crunchy|dazzling|delightful|efficient|enjoyable"
        "|exceptional|exquisite|flawless|fluffy|genuine|glorious|handy|honest|hospitable"
        "|impressive|inviting|irresistible|joyful|juicy|luxurious|magnificent|marvellous"
        "|marvelous|memorable|moist|neat|peaceful|pleasant|polite|prompt|relaxing|reliable"
        "|remarkable|satisfying|scrumptious|sensational|smooth|soft|spectacular|splendid"
        "|spotless|stellar|succulent|sweet|tender|terrific|thoughtful|tidy|unbeatable"
        "|unforgettable|welcoming|wonderful|fantastic|excellent|superb|gorgeous|lovely|perfect",
    ),
    (
        "en",
        "negative",
        "complaint",
        1.5,
        "awful|bland|boring|careless|crowded|creepy|disappointing|dreadful|dull|faulty|flimsy"
        "|greasy|inattentive|incorrect|lazy|messy|mouldy|moldy|nasty|overcooked|overpriced"
        "|sloppy|smelly|sticky|substandard|tasteless|uncomfortable|undercooked|unfriendly"
        "|unhelpful|unprofessional|unreliable|unsafe|watery|stale|soggy|rude|dirty|broken",
    ),
    (
        "it",
        "positive",
        "praise",
        1.5,
        "accoglient*|adorabil*|appetitos*|attent*|autentic*|carin*|cordial*|creativ*|croccant*"
        "|curat*|divin*|eccellent*|eccezional*|efficient*|fragrant*|genuin*|gustos*|impeccabil*"
        "|indimenticabil*|insuperabil*|magnific*|meraviglios*|morbid*|ordinat*|ospital*"
        "|piacevol*|profumat*|pulit*|puntual*|rilassant*|saporit*|soffic*|spettacolar*"
        "|splendid*|squisit*|stupend*|strepitos*|sublim*|superb*|gentil*|simpatic*",
    ),
    (
        "it",
        "negative",
        "complaint",
        1.5,
        "acid*|antipatic*|cattiv*|deludent*|disordinat*|gommos*|immangiabil*|insipid*|mediocr*"
        "|molliccio|molliccia|orribil*|pessim*|rancid*|rumoros*|salatissim*|scadent*|scarso"
        "|scarsa|scarsi|scomod*|scortes*|sgarbat*|stantio|stantia|stracott*|tiepid*|viscid*"
        "|terribil*|sporc*",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "prosciutto crudo|crudo di parma|crudo e melone|pesce crudo|attenti a|attenta a"
        "|attento a|stare attenti|fate attenzione",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "i want two|i want to get|i want to buy|i d love to gift|to gift|gift a|do you sell"
        "|sell * online|how do i pay|how can i pay|can you save me|save me",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "ne voglio|voglio fare|vorrei fare|mi piacerebbe regalare|regalare|vendete|come pago"
        "|come posso pagare|mi prenotate|prenotatemi|mi tenete",
    ),
    (
        "en",
        "lead-weak",
        "lead",
        2.5,
        "any promotions|promotion|promotions|any offers",
    ),
    (
        "it",
        "lead-weak",
        "lead",
        2.5,
        "qualche promozione|promozione|promozioni|offerte",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.5,
        "do not order|do not buy|stay away|used product|they gave us|gave us a table"
        "|looks * years old|looks old|charged a|charged us|minuscule|nobody told us"
        "|no one told us|no apology|never apologised",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.5,
        "non ordinate|non comprate|state alla larga|prodotto usato|usato|ci hanno dato"
        "|sembra vecchia|sembra vecchio|fatto pagare|ingannano|ingannevol*|minuscol*"
        "|nessuno ci ha avvisato|niente scuse|nessuna scusa",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "oh wow|wow that|fits like a glove|fits perfectly|work magic|works magic"
        "|never let me down|never let us down|you have never let me down",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "mamma mia che|calza a pennello|veste perfettamente|fanno magie|magie"
        "|non mi avete mai delus*|non ci avete mai delus*|mai delus*",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "looking for partners|online business|minimum investment|guaranteed returns|car rental"
        "|unbeatable prices|call now|if you want followers|we are the best|tarot|astrolog*"
        "|first question free|youtube channel|and subscribe|binary options|grant|claim your"
        "|fill in the form|modelling|guaranteed pay",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "cerco soci|business online|investimento minimo|rendimento sicuro|pubblicita"
        "|noleggio auto|prezzi imbattibili|chiama ora|se cerchi follower|noi siamo i migliori"
        "|tarocchi|astrolog*|prima domanda gratis|canale youtube|iscriviti|opzioni binarie"
        "|bonus di|compila il modulo|fare da modella|compenso garantito",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "bankruptcy|hag|old hag|witch|boor|cowboys|my arse|useless lot|you useless",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "fallimento|befana|strega|inetti|inetto|inetta",
    ),
    (
        "en",
        "question",
        "question",
        3.0,
        "included in the price|included in the * price|included in the room price",
    ),
    (
        "it",
        "question",
        "question",
        3.0,
        "compresa nel prezzo|compreso nel prezzo|incluso nel prezzo|inclusa nel prezzo",
    ),
    (
        "en",
        "greeting",
        "other",
        0.0,
        "happy mother s day|happy mothers day|happy father s day|happy fathers day|missing the"
        "|missing my",
    ),
    (
        "it",
        "greeting",
        "other",
        0.0,
        "festa della mamma|festa del papa|mi mancano",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "mamma mia che traffico|che traffico",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "my stories|i make * a month|monetised|monetized|we will sell|sales team"
        "|no time wasters|whoever reads|share or|on my page|order by message"
        "|by message only|for your business|our supplements",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "le mie storie|guarda le mie|metodo di|fatturo|monetizzat*|te la vendiamo"
        "|ve la vendiamo|team di vendita|no perditempo|chiunque legga|anni di sfortuna"
        "|condividi o|sulla mia pagina|partecipate numerosi|ordinazione in message"
        "|per la tua attivita|per il tuo business|su tutti i nostri",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "as your face|big ape|ape|no dignity|freeloader*|useless shits|shits",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "scimmione|senza dignita|del cazzo|stordit*|scroccon*|brutta strega",
    ),
    (
        "en",
        "question",
        "question",
        3.0,
        "do we need to book|need to book|is booking required|until when|do i need to book",
    ),
    (
        "it",
        "question",
        "question",
        3.0,
        "bisogna prenotare|serve prenotare|e necessario prenotare|fino a quando",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "i d like to organise|i d like to organize|free places|before buying|put us down"
        "|put me down|sign us up|sign me up",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "vorrei organizzare|organizzarne|posti liberi|prima di comprar*|prima di acquistar*"
        "|segnateci|segnatemi|ci prenotiamo",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "made us|they made us|not up to date|outdated|were not available|unavailable|stained"
        "|stains|sizes smaller|sizes bigger|two sizes|is off|ignores|ignore",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "ci hanno fatto|non e aggiornato|non aggiornato|non c erano|macchiat*|macchie"
        "|numeri piu piccol*|taglie piu piccol*|due numeri|due taglie|ignora|ignorano",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "caffe macchiato|macchiato|latte macchiato",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "hats off|never fails|always a party|brand new|unreal|what a dinner|what a meal"
        "|what a lunch|shout out|feel at home|nicest",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "chapeau|una certezza|sempre una festa|che cena|che pranzo|un plauso|plauso"
        "|sentire a casa|come a casa",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "e vostro|e vostra|e tuo|e tua",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "is the * yours|is that yours|is it yours",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "e senza dignita",
    ),
    (
        "en",
        "question",
        "question",
        4.0,
        "until what time|till what time|how late can i",
    ),
    (
        "it",
        "question",
        "question",
        4.0,
        "fino a che ora|entro che ora|entro quando",
    ),
    (
        "it",
        "address",
        "address",
        1.0,
        "sei un|sei una|sei uno|siete dei|siete degli|siete delle|siete solo|siete una|sei solo",
    ),
    (
        "en",
        "address",
        "address",
        1.0,
        "you are a|you are such a|you are just|you are all|you are dogs|you are an|you are the",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "should be locked up|locked up|hope you all end up|under a train|a nobody"
        "|you are a nobody|hypocrite*|fake hypocrites|dogs at|swindler*|beggars|jumped up"
        "|the cow",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "andrebbe rinchius*|andrebbero rinchius*|rinchius*|sotto un treno|nullita|ipocrit*"
        "|gente falsa|dei cani|cani a lavorare|truffaldin*|pezzenti arricchiti|arricchiti",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "we at @|triple your|job offer|flexible earnings|work whenever|like our page"
        "|tag 3 friends|tag * friends|creator award|claim it|dating app*|my latest post"
        "|you will not regret|online games|welcome bonus|i am a photographer|free shoot"
        "|if you follow me|i see you have a shop|website visits|visits a day|getting rich"
        "|get rich|spots on my course",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "noi di @|triplicare|proposta di lavoro|guadagni flessibili|metti like|tagga * amici"
        "|reclamalo|reclamala|app di incontri|il mio ultimo post|giochi online"
        "|bonus di benvenuto|sono un fotografo|se mi segui|hai un negozio|visite al giorno"
        "|diventare ricchi",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.5,
        "not the one i chose|not what i ordered|not what i chose|do not even know|full of flies"
        "|flies|update|will not let me|can not log in|had to ask|had to call|three times|stinks"
        "|smells of|vanished|disappeared|you sent me|two left|partial refund|no explanation",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.5,
        "non e quello che avevo scelto|non e quello che ho ordinato|non sa nemmeno"
        "|non sanno nemmeno|pieno di mosche|mosche|aggiornamento|non mi fa piu accedere"
        "|non riesco ad accedere|ho dovuto|tre volte|spariti|scomparsi|mi avete spedito"
        "|mi avete mandato|sinistre|rimborso parziale|senza spiegazione"
        "|senza nessuna spiegazione",
    ),
    (
        "en",
        "praise",
        "praise",
        2.0,
        "pride of|treat for|better than the last|better every time|well trained|trained staff",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "orgoglio|coccola|meglio della precedente|sempre meglio|ben preparat*",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "have you got|got the * in|for sale|is it for sale|fit us in|can you fit|there are * of us",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "ce l avete|ce lo avete|in vendita|ci state|ce la fate",
    ),
    (
        "en",
        "question",
        "question",
        3.0,
        "invoice|receipt|phone bookings",
    ),
    (
        "it",
        "question",
        "question",
        3.0,
        "fattura|ricevuta|prenotazioni telefoniche",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "same girl|from the advert|same guy",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "stessa ragazza|della pubblicita|stesso ragazzo",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "you are dogs",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "custom boxes|bought followers|no payslip|instant approval|apply now"
        "|we manage social media|free audit|audit of your profile|every review|review you write"
        "|with my code|netflix free|trick to get|single girls|meet single",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "fabbrica|scatole personalizzate|comprato follower|senza busta paga"
        "|approvazione immediata|richiedi ora|gestiamo i social|analisi gratuita|ricambiate"
        "|ogni recensione|recensione scritta|netflix gratis|trucco per|ragazze single"
        "|conoscere ragazze",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.5,
        "try them",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "provate",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "a face like yours|face like yours|get stuffed|shitty people",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "con la faccia che ti ritrovi|faccia che ti ritrovi|fatti fottere",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.5,
        "mould|shameful|following week|the following|jewellery prices|kids portions"
        "|kids  portions|completely different|what i asked for|served us dessert before"
        "|before the main",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.5,
        "muffa|settimana dopo|della settimana dopo|prezzi da gioielleria|porzioni da bambino"
        "|tutt altro|quello che avevo chiesto|servito il dolce prima|prima del secondo",
    ),
    (
        "en",
        "praise",
        "praise",
        3.0,
        "had us laughing|made us laugh|hilarious|round of applause|applause|a pleasure"
        "|always a pleasure|ordering from you",
    ),
    (
        "it",
        "praise",
        "praise",
        3.0,
        "ci hanno fatto ridere|fatto ridere|applausi|un piacere|sempre un piacere|ordinare da voi",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "be booked|i would like to try|triple room|single room|twin room|family room",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "si puo prenotare|vorrei provare|camera tripla|camera singola|camera matrimoniale"
        "|camera familiare",
    ),
    (
        "en",
        "question",
        "question",
        3.0,
        "cancellation policy|refund policy",
    ),
    (
        "it",
        "question",
        "question",
        3.0,
        "politica di cancellazione|politica di reso",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "song|in the background",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "canzone|in sottofondo",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.5,
        "following you",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "vi seguo",
    ),
    (
        "en",
        "question",
        "question",
        3.0,
        "need to be booked|booked in advance|in advance",
    ),
    (
        "it",
        "question",
        "question",
        3.0,
        "in anticipo|con anticipo",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "go have a look|have a look at|my mate opened|my friend opened|fundraiser|donate here"
        "|redelivery|on hold pay|looking for * testers|product testers|testers|comment yes"
        "|we also make|promo videos|send you a free|just pay shipping|pay shipping|feet pics"
        "|ask me how|comment with a|who views your profile|download the app",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "passate a dare un occhiata|dare un occhiata|la mia amica ha aperto"
        "|il mio amico ha aperto|raccolta fondi|dona qui|in giacenza|riconsegna"
        "|cerchiamo tester|tester|commenta si|anche noi facciamo|video promozionali"
        "|ti mando gratis|paghi solo la spedizione|foto dei piedi|chiedimi come|commenta con"
        "|chi visita il tuo profilo|scarica l app",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "silly goose|goose|who gave you your|spoiled brats|brats|get a real job|cavemen"
        "|back to your caves|failures|tax dodgers",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "oca giuliva|oca|chi ti ha dato la patente|bamboccion*|viziati|andate a lavorare"
        "|schifo di persone|caverne|trogloditi|evasori",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.5,
        "dies in|battery dies|barely any|only bread|waiting list|gave my spot|someone else"
        "|says the opposite|the opposite|bobbles|pilling|no table|there was no table"
        "|undrinkable|served warm|renews automatically|got worse|gone downhill",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.5,
        "si scarica|dura poco|neanche l ombra|solo pane|lista d attesa|il posto a un altro"
        "|il contrario|pallini|il tavolo non c era|imbevibile|temperatura ambiente"
        "|si rinnova da solo|non si puo disdire|peggiorat*",
    ),
    (
        "it",
        "neutral",
        "other",
        0.0,
        "da quando",
    ),
    (
        "en",
        "neutral",
        "other",
        0.0,
        "missing summer|missing the summer",
    ),
    (
        "en",
        "praise",
        "praise",
        2.5,
        "dreamy|dream view|one surprise after another|reminds me of my grandma|so sweet"
        "|nobody judges you|i always choose you",
    ),
    (
        "it",
        "praise",
        "praise",
        2.5,
        "da sogno|una sorpresa dopo l altra|mi ricorda quello di mia nonna|carinissim*"
        "|nessuno ti giudica|vi scelgo sempre",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "two tickets|tickets for|free room|a free room",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "due biglietti|biglietti per",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "who is the photographer|the photographer",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "chi e il fotografo|il fotografo",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "i do seo|show up on google|ad campaign|paid ad|reply by|selling tickets"
        "|dm if interested|message if interested|on our profile|crazy promo|pairs of shoes for"
        "|diet plan|personalised diet|personalized diet|pay half|private loans",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "mi occupo di|non compare su google|campagna pubblicitaria|retribuita|rispondi entro"
        "|vendo biglietti|chi e interessato mi scriva|sul nostro profilo|promo pazza"
        "|paia di scarpe a|dieta personalizzata|pagano meta|prestiti tra privati",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "you stink|are you thick|thick or what|shameless git|git|some nerve|bitter old cow"
        "|old cow|boors|no manners|should be arrested|be arrested|airhead|you make me sick",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "puzzate|sei cretino|sei scemo|faccia come il culo|zitella|senza educazione|arrestarvi"
        "|dovrebbero arrestarvi|testa vuota|mi fate schifo",
    ),
    (
        "en",
        "mild-insult",
        "mild",
        2.0,
        "animals",
    ),
    (
        "it",
        "mild-insult",
        "mild",
        2.0,
        "bestie",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.5,
        "forgot|forgotten|not safe|feel safe|lost my|half empty|discount store|says organic but"
        "|no record|had no record|you took|with smoke|smoke",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.5,
        "dimenticat*|poco sicuro|non sicuro|hanno perso|perso la mia|mezza vuota|mezzo vuoto"
        "|del discount|dice bio ma|non risultava|non risulta|fumo",
    ),
    (
        "en",
        "praise",
        "praise",
        3.0,
        "explosion of flavour|explosion of flavor|every bite|best present|the best present"
        "|addictive|can not do without|best purchase|looked after",
    ),
    (
        "it",
        "praise",
        "praise",
        3.0,
        "esplosione di gusto|ogni morso|il miglior regalo|miglior regalo|una droga|farne a meno"
        "|il miglior acquisto|miglior acquisto|miglior",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "grab one|i will grab|any places left|places left|there would be * of us",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "ne prendo una|ne prendo uno|posti rimasti|saremmo in",
    ),
    (
        "en",
        "lead-weak",
        "lead",
        2.5,
        "subscriptions|do you do subscriptions",
    ),
    (
        "it",
        "lead-weak",
        "lead",
        2.5,
        "abbonamenti|fate abbonamenti",
    ),
    (
        "en",
        "question",
        "question",
        3.0,
        "bring our own|bring my own",
    ),
    (
        "it",
        "question",
        "question",
        3.0,
        "da fuori|portare la torta",
    ),
    (
        "en",
        "spam-hint",
        "spam",
        1.5,
        "bad luck|badge|check my|contact me|i can help you|join in|low cost|my code|no checks"
        "|off all|on behalf of|photo shoot|positive reviews|prices from|real money|today only"
        "|visibility",
    ),
    (
        "it",
        "spam-hint",
        "spam",
        1.5,
        "a basso costo|a partire da|badge|basso costo|contattami|il mio codice|per conto di"
        "|posso aiutarti|recensioni positive|sconto del|senza controlli|soldi veri|visibilita",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "packaging factory|our supplements|to the first * people|hiring * promoters"
        "|home based promoters|my coaching|first call free|scratch cards|with my link|my vinted"
        "|vinted shop|free month of premium|follow my page|new faces|modelling agency"
        "|bank account has been blocked",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "nostri integratori|assumiamo promoter|promoter da casa|il mio coaching"
        "|prima call gratuita|gratta e vinci|con il mio link|su vinted"
        "|mese di abbonamento premium|segui la mia pagina|volti nuovi|agenzia di moda"
        "|conto e stato bloccato|iscriviti al mio corso",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "lapdogs|exploiters|shameless clowns|useless incompetents|hope the * shut you down",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "cagnolini|a cuccia|vi chiudano|sfruttatori schifosi|razza di incapaci",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.5,
        "no news|factory made|nothing homemade|dangerous|rejected|for no reason"
        "|not the same anymore|is not the same|a disaster|impossible to eat",
    ),
    (
        "it",
        "complaint",
        "complaint",
        2.5,
        "nessuna notizia|industriale|nulla di fatto in casa|pericolos*|rifiutat*|senza motivo"
        "|non e piu la stessa|non e piu lo stesso|un disastro|impossibile cenare",
    ),
    (
        "en",
        "praise",
        "praise",
        2.5,
        "you deserve all the success|would be jealous|saving my|saved my|capable bunch|capable"
        "|unique experience|would do it again|top marks|no contest",
    ),
    (
        "it",
        "praise",
        "praise",
        2.5,
        "vi meritate tutto il successo|ce la invidiano|aver salvato|salvato il mio|in gamba"
        "|esperienza unica|da rifare|pieni voti|senza discussioni|sempre disponibili",
    ),
    (
        "en",
        "lead",
        "lead",
        3.0,
        "do you have a 44|hire the whole|hire the venue|book the whole",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "riservare tutto il locale|riservare il locale|avete il 4*|avete il 3*",
    ),
    (
        "it",
        "greeting",
        "other",
        0.0,
        "buon ferragosto|buone vacanze",
    ),
    (
        "en",
        "greeting",
        "other",
        0.0,
        "happy august|bank holiday",
    ),
    (
        "en",
        "social",
        "social",
        2.0,
        "who remembers|the founder",
    ),
    (
        "it",
        "social",
        "social",
        2.0,
        "chi si ricorda|il fondatore",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "as your face|your ugly face|with that face",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "come la tua faccia|con quella faccia",
    ),
    (
        "en",
        "spam",
        "spam",
        3.0,
        "check my stories|check my bio|check my profile",
    ),
    # Threats need no insult: knowing where someone lives, making them pay, waiting outside.
    (
        "it",
        "threat",
        "abuse",
        3.0,
        "so dove abiti|so dove abitate|so dove abita|so dove lavori|so dove lavorate"
        "|sappiamo dove abiti|sappiamo dove abitate|ti aspetto fuori|vi aspetto fuori"
        "|ti aspetto sotto casa|guardati le spalle|guardatevi le spalle|ti spacco|vi spacco"
        "|ti rompo la faccia|vi rompo la faccia|ti gonfio|vi gonfio|te la faccio pagare"
        "|ve la faccio pagare|me la pagherai|me la pagherete|la pagherai cara|la pagherete cara"
        "|ti vengo a prendere|vi vengo a prendere|sei un uomo morto|ti faccio passare la voglia"
        "|vi faccio passare la voglia|ti faccio vedere io|vi faccio vedere io"
        "|non sai con chi hai a che fare|non sapete con chi avete a che fare",
    ),
    (
        "en",
        "threat",
        "abuse",
        3.0,
        "i know where you live|i know where you work|we know where you live|know where you live"
        "|i will make you pay|make you pay for|you will pay for this|you will pay for that"
        "|you are going to pay|you are a dead man|dead meat|i will come for you|coming for you"
        "|hunt you down|i will hunt you|break your legs|break your neck|smash your face"
        "|punch your lights|beat you up|you will be sorry|you are going to be sorry"
        "|or i am coming down|or i will come down|or i am coming round|or i will come round",
    ),
    # A menace counts as a threat under a condition ("se non mi rimborsate vengo lì e...",
    # "refund me or I'm coming down there"); either alone is ordinary speech.
    (
        "it",
        "menace",
        "menace",
        1.0,
        "vengo li e|vengo la e|vengo in negozio e|vengo da voi e|vengo giu e|passo da voi e"
        "|ve ne pentirete|te ne pentirai|vi pentirete|ti pentirai|finisce male|finira male"
        "|non finisce qui|non finira qui|ve la vedrete con me|te la vedrai con me|saranno guai"
        "|sono guai",
    ),
    (
        "en",
        "menace",
        "menace",
        1.0,
        "coming down there and|come down there and|come round there and|come down and"
        "|come over there and|and see what happens|this is not over|not over yet"
        "|you will never * again|you will regret it",
    ),
    (
        "it",
        "threat-if",
        "threat-if",
        1.0,
        "se non|altrimenti|senno|se ti rivedo|se vi rivedo|se ti becco|se vi becco|se ti trovo"
        "|se vi trovo|se ci riprovi|se ci riprovate|se lo rifai|se lo rifate|se vi azzardate"
        "|se ti azzardi|o vengo|o passo",
    ),
    (
        "en",
        "threat-if",
        "threat-if",
        1.0,
        "if you do not|or else|otherwise|unless|or i|or we|if i see you|if i catch you"
        "|if i ever see you|if you ever|do that again|try that again",
    ),
    # Contempt for people by what they are called: drunkards, yokels, two-bit professionals.
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "bifolc*|ubriacon*|rovinafamigli*|da strapazzo|da quattro soldi|da due soldi",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "lowlife*|yokel*|drunkard*|home wrecker*|homewrecker*|two bit|low lifes",
    ),
    # Animals: an insult when said of people ("sei un cane", "you are pigs", "like animals",
    # "the driver is an animal"), not when they are animals ("ci sono topi", "rats in the bins").
    (
        "it",
        "animal",
        "animal",
        3.0,
        "cane|cani|bestia|bestie|animale|animali|maiale|maiali|capra|capre|scimmia|scimmie"
        "|verme|vermi|serpente|serpenti|topo|topi|ratto|ratti|pecora|pecore|asino|asini"
        "|oca|oche|vacca|vacche|iena|iene|avvoltoio|avvoltoi|zecca|zecche|cavernicol*",
    ),
    (
        "en",
        "animal",
        "animal",
        3.0,
        "dog|dogs|animal|animals|pig|pigs|rat|rats|snake|snakes|monkey|monkeys|cow|cows|goat"
        "|goats|sheep|donkey|donkeys|hyena|hyenas|weasel|weasels|worm|worms|beast|beasts"
        "|vulture|cockroach*|roach|roaches|parasite|parasites|slug|slugs",
    ),
    # "A quanto lo fate?": the price of what the writer wants.
    (
        "it",
        "lead",
        "lead",
        4.0,
        "a quanto lo fate|a quanto la fate|a quanto li fate|a quanto le fate|a quanto lo vendete"
        "|a quanto la vendete|a quanto li vendete|a quanto le vendete|a quanto viene"
        "|a quanto vengono",
    ),
    # Weight-loss bait: a number of kilos lost.
    (
        "en",
        "spam",
        "spam",
        3.0,
        "lose * kg|lose * kilos|lose * pounds|lose * lbs|lost * kg in|lost * pounds in",
    ),
    (
        "it",
        "spam",
        "spam",
        3.0,
        "perdere * kg|perdere * chili|perdi * kg|perdi * chili",
    ),
    # A customer's escalation (a bad review, a report, a lawyer, cancelling) is a complaint
    # through proper channels, not a threat; the ensemble lets no model's abuse override it.
    (
        "it",
        "escalation",
        "complaint",
        2.0,
        "recensione negativa|recensioni negative|una recensione pessima|vi denuncio|ti denuncio"
        "|vi faccio causa|faccio causa|il mio avvocato|al mio avvocato|vi segnalo|disdico"
        "|disdetta|associazione consumatori|altroconsumo",
    ),
    (
        "en",
        "escalation",
        "complaint",
        2.0,
        "bad review|negative review|one star review|1 star review|report you|reporting you"
        "|sue you|my lawyer|my solicitor|trading standards|small claims|chargeback",
    ),
    # Swearing at a situation, not at a person: a complaint's tone.
    (
        "it",
        "exclamation",
        "complaint",
        0.5,
        "porco cane|porca miseria|porca vacca|porco giuda|porca paletta|porca l oca",
    ),
    # Round 24. Figurative insults: a person's mind or manner likened to a thing ("has the
    # personality of a wet rag", "ha il cervello di una gallina"); abuse when a person is named.
    (
        "en",
        "likeness",
        "likeness",
        3.0,
        "the personality of a|the personality of an|the brains of a|the brains of an"
        "|the brain of a|the brain of an|the iq of a|the iq of an|the intelligence of a"
        "|the manners of a|the people skills of a|the social skills of a|the emotional range of"
        "|the empathy of a|walking disaster|walking disasters|walking catastrophe|walking joke",
    ),
    (
        "it",
        "likeness",
        "likeness",
        3.0,
        "la personalita di un|la personalita di una|il cervello di un|il cervello di una"
        "|l intelligenza di un|l intelligenza di una|la simpatia di un|la simpatia di una"
        "|l educazione di un|l educazione di una|la sensibilita di un|la sensibilita di una"
        "|disastro ambulante|disastri ambulanti",
    ),
    # Mock praise of a person ("well done to the genius who...", "ci vuole talento per essere
    # cosi incapace"): abuse when a person is named and something bad is said.
    (
        "en",
        "mocking",
        "mocking",
        2.0,
        "the genius who|the genius that|the genius at|the geniuses who|the geniuses at"
        "|the genius behind|takes talent to be|takes real talent to be|takes skill to be"
        "|talent to be this|talent to be that|talent to be so",
    ),
    (
        "it",
        "mocking",
        "mocking",
        2.0,
        "al genio che|ai geni che|il genio che|quel genio che|quei geni che|alla genia"
        "|talento per essere cosi|talento per essere tanto|talento per essere cosi tanto",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "dropped on your head|dropped on their head|dropped on his head|dropped on her head",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "caduto dalla culla|caduta dalla culla|caduti dalla culla|caduto dal seggiolone"
        "|caduta dal seggiolone|caduti dal seggiolone",
    ),
    # Veiled threats: telling someone not to show their face, to watch out.
    (
        "it",
        "threat",
        "abuse",
        3.0,
        "ti conviene non farti|vi conviene non farvi|non farti piu vedere|non fatevi piu vedere"
        "|non farti vedere in giro|ti conviene sparire|vi conviene sparire"
        "|ti conviene stare attento|ti conviene stare attenta|vi conviene stare attenti",
    ),
    (
        "en",
        "threat",
        "abuse",
        3.0,
        "better watch your back|better watch yourself|you had better watch out"
        "|do not show your face|never show your face|better not show your face"
        "|keep looking over your shoulder",
    ),
    # Praise of a person by a word the model reads as abuse ("un mago dei dolci", "a credit to
    # you"), and praise where "zero" names a problem that did not happen ("zero drops").
    (
        "en",
        "praise",
        "praise",
        2.0,
        "a credit to|an absolute credit|a real credit|were ace|was ace|is ace|are ace"
        "|absolute riot|was a riot|is a riot|zero drops|zero problems|zero issues|zero hassle"
        "|zero stress|zero complaints|zero downtime|zero lag|zero fuss",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "un mago|una maga|dei maghi|un mago del|un mago dei|zero problemi|zero pensieri"
        "|zero stress|zero intoppi|zero sbatti",
    ),
    (
        "en",
        "sarcasm",
        "sarcasm",
        2.0,
        "oh lovely|oh perfect|oh fantastic|oh brilliant|oh amazing|oh marvellous|oh superb"
        "|oh super",
    ),
    # Being waited for is a kindness, not a wait ("mi ha aspettata anche se ero in ritardo").
    (
        "it",
        "praise",
        "praise",
        1.0,
        "mi ha aspettat*|ci ha aspettat*|mi hanno aspettat*|ci hanno aspettat*",
    ),
    (
        "en",
        "praise",
        "praise",
        1.0,
        "waited for me|waited for us|held our table|kept our table",
    ),
    # Round 25. Mindless: a person's mind likened to a thing needs no named target (only people
    # have brains); "the personality of a..." still does (places have personalities).
    (
        "en",
        "mindless",
        "mindless",
        3.0,
        "the brains of a|the brains of an|the brain of a|the brain of an|the iq of a"
        "|the iq of an|the intelligence of a|the common sense of a",
    ),
    (
        "it",
        "mindless",
        "mindless",
        3.0,
        "il cervello di un|il cervello di una|l intelligenza di un|l intelligenza di una"
        "|il quoziente intellettivo di",
    ),
    (
        "it",
        "insult",
        "abuse",
        3.0,
        "un essere inutil*|esseri inutili|un essere spregevol*|spreco di ossigeno",
    ),
    (
        "en",
        "insult",
        "abuse",
        3.0,
        "waste of space|waste of oxygen|useless human being|useless excuse for a",
    ),
    # The mafia idiom and warnings about what one writes: menaces that need company.
    (
        "en",
        "threat",
        "abuse",
        3.0,
        "shame if something happened|shame if anything happened|shame if something were to"
        "|shame if anything were to",
    ),
    (
        "it",
        "threat",
        "abuse",
        3.0,
        "peccato se succedesse qualcosa|peccato se dovesse succedere qualcosa"
        "|peccato se capitasse qualcosa",
    ),
    (
        "it",
        "menace",
        "menace",
        1.0,
        "il mondo e piccolo|attento a quello che|attenta a quello che|attenti a quello che"
        "|stai attento a|state attenti a",
    ),
    (
        "en",
        "menace",
        "menace",
        1.0,
        "small world|careful what you say|careful what you write|watch what you say"
        "|watch what you write|careful what you post",
    ),
    # Frustration taken out on a thing, wished not done ("avrei voluto spaccarlo contro il
    # muro", "wanted to smash the screen"): a complaint's tone, not a threat.
    (
        "it",
        "complaint",
        "complaint",
        2.0,
        "avrei voluto spacc*|avrei voluto lanci*|avrei voluto buttar*|volevo spacc*"
        "|volevo lanci*|mi veniva voglia di spacc*|gracchia*",
    ),
    (
        "en",
        "complaint",
        "complaint",
        2.0,
        "wanted to smash|could have smashed|felt like smashing|wanted to throw"
        "|felt like throwing|wanted to chuck",
    ),
    # Spam by what it sells: views and plays, money multiplied.
    (
        "en",
        "spam",
        "spam",
        3.0,
        "check bio|real views|more views|more plays|instant delivery|cheapest on the market"
        "|invest just|invest only|turn it into|my account manager|guaranteed returns",
    ),
    # Strong words that are praise ("criminally good", "insane taste", "a banger").
    (
        "en",
        "praise",
        "praise",
        2.0,
        "criminally good|criminally underrated|criminally delicious|insane taste"
        "|incredible taste|impeccable taste|amazing taste|great taste|banger|bangers",
    ),
    (
        "it",
        "praise",
        "praise",
        2.0,
        "gusto impeccabile|gusto pazzesco|ottimo gusto|gran gusto",
    ),
    (
        "it",
        "mocking",
        "mocking",
        2.0,
        "un vero talento|un talento naturale|che talento",
    ),
    (
        "en",
        "mocking",
        "mocking",
        2.0,
        "a real talent|a natural talent|what a talent",
    ),
    # The price of a call-out is what a buyer asks.
    (
        "en",
        "lead",
        "lead",
        3.0,
        "call out fee|callout fee|call out charge|callout charge|how much do you charge"
        "|what do you charge",
    ),
    (
        "it",
        "lead",
        "lead",
        3.0,
        "diritto di chiamata|costo dell uscita|quanto chiedete|quanto prendete",
    ),
)
