"""The lexicon of attribution cues, as data (documented in ``docs/extraction.md``).

Why a closed lexicon rather than a parser: news attribution uses a small, stable set of
reporting verbs and prepositional frames, and a word list is auditable, fast and needs no
model at run time. Each verb maps to the separable particle it needs ("teilte … mit") or ""
when it stands alone; a verb listed with a particle only counts when the particle is there.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final


def words(text: str) -> tuple[str, ...]:
    """A word list written as one string: data reads better as prose than as a column."""
    return tuple(text.split())


MONTHS: Final = frozenset(
    words("""
        januar jänner februar märz april mai juni juli august september oktober november
        dezember january february march may june july october december jan feb mar apr jun jul
        aug sep sept okt oct nov dez dec
    """)
)

# German reporting verbs (finite forms) -> required particle.
DE_SPEECH: Final = MappingProxyType(
    {
        **dict.fromkeys(
            words("""
                berichtete berichteten berichtet meldete meldeten meldet sagte sagten sagt
                erklärte erklärten erklärt betonte betonten betont bestätigte bestätigten
                bestätigt schrieb schrieben schreibt ergänzte ergänzten warnte warnten warnt
                behauptete behaupteten behauptet verkündete versicherte unterstrich hieß heißt
                glaubt glauben schätzt schätzen schätzte befürchtet befürchten vermutet vermuten
                argumentierte erfuhr erfuhren zitierte zitierten verlautete meinte kritisierte
                forderte mahnte sagen erklären berichten betonen warnen meinen melden bestätigen
            """),
            "",
        ),
        **dict.fromkeys(["warf", "warfen", "wirft", "werfen"], "vor"),
        "räumte": "ein",
        "gab": "an",
        "kündigte": "an",
        "teilte": "mit",
        "teilten": "mit",
        "teilt": "mit",
        "fügte": "hinzu",
        "fügten": "hinzu",
        "hob": "hervor",
        "geht": "davon aus",
        "gehen": "davon aus",
        "ging": "davon aus",
    }
)
# German verbs of denial; the claim they take is denied (stance DENIES).
DE_DENIAL: Final = MappingProxyType(
    {
        "dementierte": "",
        "dementierten": "",
        "dementiert": "",
        "bestritt": "",
        "bestritten": "",
        "bestreitet": "",
        "wies": "zurück",
        "wiesen": "zurück",
        "weist": "zurück",
        "weisen": "zurück",
    }
)
# Verb-final forms after "wie" ("…, wie die Agentur berichtete").
DE_SPEECH_FINAL: Final = frozenset(
    {
        "berichtete",
        "berichteten",
        "berichtet",
        "meldete",
        "meldeten",
        "meldet",
        "sagte",
        "sagten",
        "sagt",
        "erklärte",
        "erklärten",
        "erklärt",
        "mitteilte",
        "mitteilten",
        "mitteilt",
        "bestätigte",
        "bestätigten",
        "schrieb",
        "schrieben",
        "hieß",
        "heißt",
        "verlautete",
        "erfuhr",
        "erfuhren",
        "bekanntgab",
        "angab",
        "angaben",
        "betonte",
        "ankündigte",
        "berichtet hat",
        "mitgeteilt hat",
        "gesagt hat",
    }
)
# English reporting verbs.
EN_SPEECH: Final = frozenset(
    words("""
        said says say reported reports told tells stated states announced announces claimed
        claims confirmed confirms added adds noted notes wrote writes warned warns insisted
        explained argued estimated estimates believes believe acknowledged admitted disclosed
        revealed predicted quoted assessed concluded asserted warn report claim argue predict
        insist note estimate conclude
    """)
)
EN_DENIAL: Final = frozenset(
    words("""
        denied denies deny rejected rejects dismissed dismisses refuted
    """)
)
# Verbs that take a clause without "that" ("The Kremlin said Western arms …").
EN_BARE_CLAUSE: Final = frozenset(
    words("""
        said says say believes believe claimed claims added noted stated insisted argued
        predicted concluded argue claim
    """)
)

# Nouns that name the content of a "nach …" frame ("nach Angaben des Kremls").
DE_NACH_NOUNS: Final = tuple(
    words("""
    Angaben Schätzungen Informationen Erkenntnissen Berechnungen Darstellung Auskunft
    Einschätzung Einschätzungen Studie Bericht Berichten Mitteilung Umfrage Zählung Zahlen Daten
    Recherchen Aussagen
""")
)

# German Konjunktiv I forms that, without a frame of their own, continue reported speech.
KONJUNKTIV_I: Final = frozenset(
    words("""
        sei seien seiest werde habe könne müsse solle wolle dürfe gebe stehe gehe liege komme
        bleibe wisse brauche plane arbeite verfüge handle halte lasse sehe
    """)
)
# Konjunktiv II forms that stand in for Konjunktiv I, only inside a reported passage.
KONJUNKTIV_II_REPORTED: Final = frozenset({"hätten", "wären", "würden", "hätte", "wäre"})

# Words that, placed at the head of a sentence, open an adverbial before an inverted verb
# ("Am Mittwoch sagte Peskow, …").
DE_ADVERBIAL_OPENERS: Final = frozenset(
    words("""
        am im in zuvor später außerdem zudem dazu gegenüber auf bereits zugleich weiter ferner
        dabei darüber anschließend unter nach bei vor seit zuletzt dort hier damals erst nun
        jetzt heute gestern demnach allerdings jedoch so auch
    """)
)
# Auxiliaries and modals after "und"/"and" that start a second coordinated claim.
DE_AUX: Final = frozenset(
    words("""
        wird werde werden hat habe haben ist sei sind seien soll solle sollen will wolle wollen
        kann könne können muss müsse müssen war wurde wurden hatte hatten dürfte könnte könnten
        möchte
    """)
)
EN_AUX: Final = frozenset(
    words("""
        will would has have had is was were are could should may might must plans intends
    """)
)

# Verb forms whose clause is a question or call in a headline, never a claim.
HEADLINE_TEASERS: Final = (
    "geht es",
    "das müssen sie wissen",
    "was wir wissen",
    "alle infos",
    "das ist bekannt",
    "what we know",
    "what to know",
    "explained",
    "live",
    "ticker",
    "liveblog",
    "newsblog",
    "im überblick",
    "die wichtigsten fragen",
    "fragen und antworten",
    "q&a",
)
FUNCTION_WORDS: Final = frozenset(
    words("""
        der die das den dem des ein eine einen einem einer eines und oder in im am an auf aus
        bei beim mit nach von vom zu zum zur für über unter vor gegen um ohne durch seit bis als
        wie the a and or of on at to for with from by as vs versus
    """)
)


# Articles that open a source's name as written ("die japanische Nachrichtenagentur Kyodo")
# and are dropped from its canonical name.
ARTICLES: Final = frozenset(
    {
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "einem",
        "eines",
        "the",
        "a",
        "an",
    }
)
