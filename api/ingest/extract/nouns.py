"""Noun lexicons that classify a source phrase when the gazetteer does not know it.

All entries are stems as :func:`api.ingest.extract.gazetteer.stem` produces them. Organisation
heads match as suffixes too, so German compounds ("Digitalverband", "Bundesinnenministerium",
"Nachrichtenagentur") classify by their last part.
"""

from __future__ import annotations

from typing import Final

from api.ingest.extract.gazetteer import stem
from api.ingest.extract.lexicon import words

# Head noun -> SourceKind, written plainly and stemmed below. Heads of five letters or more
# also match as the last part of a compound.
_ORG_HEADS_RAW: Final = {
    "NEWS_AGENCY": "nachrichtenagentur presse-agentur presseagentur agentur|news agency|"
    "wire service",
    "NEWS_OUTLET": "zeitung zeitschrift magazin sender rundfunk portal blatt newspaper daily "
    "magazine broadcaster outlet website tabloid|news site",
    "GOVERNMENT": "ministerium ministry department regierung government behörde behörden "
    "authorities authority polizei police armee army militär military "
    "streitkräfte luftwaffe navy marine senat botschaft embassy präsidialamt "
    "kanzleramt bundesamt landesamt staatsanwaltschaft generalstab kommando "
    "command stadtverwaltung rathaus landratsamt ordnungsamt gesundheitsamt "
    "amt staatsregierung landesregierung freistaat administration "
    "|armed forces|air force|general staff",
    "INTELLIGENCE": "geheimdienst nachrichtendienst intelligence|spy agency",
    "THINK_TANK": "institut institute denkfabrik thinktank stiftung foundation|think tank",
    "OTHER": "verband verein gewerkschaft unternehmen konzern firma reederei company firm "
    "organisation organization partei arbeitsgruppe initiative bündnis ag gmbh inc "
    "corp ltd bank university universität hochschule klinik hospital krankenhaus "
    "studie study bericht report schätzung schätzungen estimate estimates umfrage "
    "poll analyse analysis einschätzung einschätzungen assessment assessments "
    "zählung agency group gruppe hilfswerk ngo airline airlines carrier supplier "
    "maker manufacturer operator provider insurer union association federation "
    "coalition alliance society league committee service retailer developer "
    "gesamtverband bahn deutsche-bahn dienst center centre centers zentrum gesellschaft",
}


def _stems(phrase: str) -> str:
    return " ".join(stem(w) for w in phrase.split())


def _build_heads() -> dict[str, str]:
    heads: dict[str, str] = {}
    for kind, raw in _ORG_HEADS_RAW.items():
        singles, *multi = raw.split("|")
        for word in [*singles.split(), *multi]:
            heads[_stems(word)] = kind
    return heads


# Stemmed head (a single stem, or stems joined by spaces) -> SourceKind.
ORG_HEADS: Final = _build_heads()
# Heads that, with a definite article and no name, point back to an earlier source ("das
# Unternehmen", "the airline"); other heads name a unique body ("die Polizei", "die Regierung").
ANAPHORIC_HEADS: Final = frozenset(
    stem(w)
    for w in words("""
        unternehmen konzern firma behörde ministerium agentur nachrichtenagentur zeitung blatt
        sender gruppe verband institut botschaft amt landratsamt company firm agency ministry
        newspaper group carrier airline union embassy department institute organisation
        organization association coalition supplier operator reederei
    """)
)

# Heads that are documents or estimates rather than bodies: "Berichten zufolge" alone is a
# hedge (reportedly), not a source.
DOCUMENT_HEADS: Final = frozenset(
    stem(w)
    for w in (
        "bericht",
        "berichten",
        "report",
        "reports",
        "medienbericht",
        "medienberichten",
        "media reports",
    )
)
# Heads whose name is the proper name that follows ("Nachrichtenagentur Kyodo",
# "Reederei Hapag-Lloyd"), not head plus name.
NAME_FOLLOWS: Final = frozenset({"NEWS_AGENCY", "NEWS_OUTLET", "OTHER"})

# Titles and roles: never part of a person's name; a sentence that names only a role of an
# institution ("eine Sprecherin des Ministeriums") is the institution's voice.
TITLES_RAW: Final = frozenset(
    words("""
        präsident präsidentin president minister ministerin außenminister sprecher sprecherin
        economist strategist volkswirt ökonom ökonomin chefvolkswirt chefvolkswirtin
        spokesman spokeswoman spokesperson chef chefin chief director direktor direktorin leiter
        leiterin general major colonel oberst admiral senator senatorin kanzler kanzlerin
        premier premierminister prime secretary commissioner kommissar kommissarin botschafter
        botschafterin ambassador fellow senior research analyst analystin expert expertin
        experte professor professorin prof dr researcher forscher forscherin adviser advisor
        berater beraterin vorsitzend chairman chair ceo head leader staatschef machthaber
        bürgermeister mayor governor gouverneur abgeordnet lawmaker representative official
        beamter deputy stellvertretend vice vize generalsekretär correspondent korrespondent
        reporter journalist journalistin editor redakteur commander kommandeur befehlshaber
        captain kapitän lt gen col sgt herr frau mr mrs ms sir lord lady pope papst king könig
        queen königin prinz prince führer führerin manager managerin geschäftsführer
        geschäftsführerin vorstand founder gründer gründerin officer offizier innensenator
        staatssekretär abgeordnete vorsitzende stellvertretende beamte officials
    """)
)
TITLES: Final = frozenset(stem(w) for w in TITLES_RAW)

TITLE_SUFFIXES: Final = tuple(
    words("""
    sprecher sprecherin minister ministerin präsident präsidentin chef chefin senator senatorin
    botschafter kanzler leiter leiterin sekretär experte expertin analyst führer führerin
    direktor direktorin vorsitzender vorsitzende kommandeur volkswirt volkswirtin ökonom
    ökonomin stratege strategin
""")
)
SPOKES_NOUNS: Final = frozenset(
    stem(w)
    for w in words("""
        sprecher sprecherin spokesman spokeswoman spokesperson official vertreter vertreterin
        representative beamter mitarbeiter mitarbeiterin
    """)
)

# Generic people and source nouns: without a name, the source is anonymous.
ANON_HEADS: Final = frozenset(
    stem(w)
    for w in words("""
        quelle quellen source sources insider insiders ermittler experten expert experts
        analysten analyst analysts beobachter diplomaten diplomat diplomats beamte beamten
        official officials observer observers investigator investigators witness witnesses
        augenzeugen anwohner resident residents people personen mitarbeiter employee employees
        staff vertreter kreise kreisen anwohnerin augenzeugin augenzeuge ermittlerin expertin
        beobachterin diplomatin beamtin mitarbeiterin vertreterin insiderin zeuge zeugin zeugen
        klimaforscher forscher forscherin wissenschaftler scientists researchers volkswirte
        ökonomen economists marktbeobachter händler traders bankers
    """)
)
# Heads that also end German compounds of anonymous groups ("Regierungskreisen").
ANON_SUFFIXES: Final = tuple(stem(w) for w in ("kreise", "quellen"))
ANON_MARKERS: Final = frozenset(
    stem(w)
    for w in words("""
        ungenannt ungenannte ungenannten anonym anonyme anonymen unnamed anonymous familiar
        vertraut vertraute vertrauten informiert informierte informierten namentlich close
    """)
)
PLURAL_PRONOUNS: Final = frozenset({"they", "sie"})
PERSON_PRONOUNS: Final = frozenset({"er", "sie", "he", "she"})

# Words that start a sentence or a phrase in capitals but never begin a name.
STOP_CAPS: Final = frozenset(
    words("""
        der die das den dem des ein eine einer einem eines the a an in im am auf aus bei mit
        nach von laut zufolge wie so und oder aber according citing on at of for from by to with
        this that these those it he she they we i er sie es wir ich his her their its sein seine
        ihr ihre dies diese dieser montag dienstag mittwoch donnerstag freitag samstag sonntag
        monday tuesday wednesday thursday friday saturday sunday jüngst jüngsten neuesten recent
        latest western westlich state staatlich offiziell official ukraine's russia's iran's
        china's one two three four five eins zwei drei vier fünf some einige mehrere several
        many viele both beide
    """)
)
TEMPORAL_ADJECTIVES: Final = frozenset(
    words("""
        jüngst jüngsten jüngste neuest neuesten neueste aktuell aktuellen aktuelle recent latest
        new neu neuen neue bisherig bisherigen früher früheren monatelang monatelange
        monatelangen
    """)
)
LEADING_DETERMINERS: Final = frozenset(
    words("""
        der die das den dem des ein eine einer einem eines the a an some several mehrere einige
        two three four five zwei drei vier fünf many viele aus von from by of seitens unter
        citing quoting laut according meisten most zahlreiche numerous
    """)
)
NAME_PARTICLES: Final = frozenset(
    words("""
        von van de da bin al el la le di du ter ten zu
    """)
)
CONNECTORS: Final = frozenset(
    words("""
        für for of the and und on in der des zur zum de
    """)
)
