"""Hand-curated demo data for the seed article ``kim-putin-vostochny.de.txt`` (14 Sept 2023).

This module is deliberately plain data: frozen dataclasses and tuples, no database code and no
imports from the rest of the project, so that loaders, tests and fixtures can all consume it
without pulling in the application stack.

Conventions
-----------
* The document text is the whole file read with ``read_text(encoding="utf-8")`` (no stripping).
  Offsets are Python ``str`` indices (code points), end exclusive; see :func:`quote_span`.
* ``DemoAttribution.source`` is the source that *says* the claim in this document. When the
  article speaks in its own voice (headline, subheads, unattributed sentences) that is the
  publisher. ``via`` lists the sources the attributed source itself cites, outermost first
  (Kyodo -> its unnamed sources; Jack Watling -> western estimates).
* Statements are German, in normal form: attribution frames ("wie ... berichtete",
  "nach Angaben des Kremls", "so Jack Watling") and epistemic hedges are removed (they live in
  ``via`` / ``hedges`` / ``confidence``), relative dates are resolved against the publication date
  (Mittwoch = 13.09.2023, Donnerstag = 14.09.2023, "im nächsten Monat" = Oktober 2023,
  "im vergangenen Jahr" = 2022) and metonyms are resolved (Pjöngjang -> Nordkorea,
  Moskau -> Russland). Quantity qualifiers such as "bis zu" stay in the statement because they
  are part of what is claimed, not only of how firmly.
* German Konjunktiv I ("werde ... reisen") marks reported speech, not doubt, so it is not a hedge.
  Likewise "möchte" (wants) and "würde" (conditional about a hypothetical deal) are content.

Confidence table (the attributed source's expressed certainty, not our belief in the claim).
Bands loosely follow intelligence estimative language (ICD 203 / PHIA yardstick): "probably"
sits in the 55-80 % band, "expected" at its upper half, "suspected/believed" near even chance.
When several hedges apply, the lowest value wins.

    hedge (as written, compared case-insensitively)  confidence
    -------------------------------------------------  ----------
    (none: stated as fact, incl. Konjunktiv I)            1.0
    "bis zu"           (upper bound on a quantity)        0.9
    "voraussichtlich"  (expected)                         0.75
    "wahrscheinlich"   (probably)                         0.7
    "es wird vermutet" (it is suspected/believed)         0.55

The same table is available as :data:`HEDGE_CONFIDENCE`; the tests check every attribution
against it so the data cannot silently drift from the rule.

Quantity bounds encode the qualifier *written in the text* ("bis zu" -> AT_MOST,
"fast" (almost) -> AT_MOST); a bare number is EXACT even in a forecast, because the forecast's
uncertainty is already carried by the hedge and the confidence. Units are lower-case English
plural nouns ("shells", "hours") so that quantities compare across languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

SOURCE_KINDS: Final = frozenset(
    {
        "NEWS_AGENCY",
        "NEWS_OUTLET",
        "GOVERNMENT",
        "PERSON",
        "THINK_TANK",
        "INTELLIGENCE",
        "ANONYMOUS",
        "PHOTO_AGENCY",
        "OTHER",
    }
)
QUANTITY_BOUNDS: Final = frozenset({"EXACT", "APPROXIMATE", "AT_MOST", "AT_LEAST"})
STANCES: Final = frozenset({"AFFIRMS", "DENIES"})
# Admiralty (NATO AJP-2.1) source reliability grades, A (completely reliable) .. F (cannot be
# judged). We store None rather than F for sources we did not rate, so that consumers can tell
# "curator gave no rating" apart from a rating and never treat "unrated" as a low score.
RELIABILITY_GRADES: Final = frozenset({"A", "B", "C", "D", "E", "F"})

# Keys are case-folded; see the module docstring for the rationale of each value.
HEDGE_CONFIDENCE: Final = MappingProxyType(
    {
        "bis zu": 0.9,
        "voraussichtlich": 0.75,
        "wahrscheinlich": 0.7,
        "es wird vermutet": 0.55,
    }
)
# Hedges that qualify a quantity rather than the truth of the proposition; these may (and
# should) remain in the normalised statement, every other hedge must not.
QUANTITY_HEDGES: Final = frozenset({"bis zu"})


@dataclass(frozen=True)
class DemoSource:
    key: str  # stable slug, e.g. "kcna"
    name: str
    kind: str  # one of SOURCE_KINDS
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None  # key of another DemoSource
    reliability: str | None = None  # Admiralty A-F or None (= not rated)
    state_affiliated: bool = False
    country: str | None = None  # ISO 3166-1 alpha-2, only where the article or record is clear


@dataclass(frozen=True)
class DemoQuantity:
    value: float
    unit: str | None
    bound: str  # one of QUANTITY_BOUNDS


@dataclass(frozen=True)
class DemoAttribution:
    source: str  # key of the attributed source (publisher's key for the article's own voice)
    quote: str  # exact substring of the document text
    occurrence: int = 0  # which occurrence of quote in the text (0 = first)
    via: tuple[str, ...] = ()  # keys of sources the attributed source cites, outermost first
    stance: str = "AFFIRMS"  # or "DENIES"
    confidence: float = 1.0
    hedges: tuple[str, ...] = ()  # hedge words exactly as written, each a substring of quote
    quantity: DemoQuantity | None = None


@dataclass(frozen=True)
class DemoClaim:
    statement: str  # the reported proposition in normal form, without the attribution frame
    language: str  # BCP 47, "de"
    attributions: tuple[DemoAttribution, ...]
    # Stable slug so loaders can upsert idempotently and tests can address a claim by name.
    key: str = ""


@dataclass(frozen=True)
class DemoDocument:
    title: str
    language: str
    published_at: str  # ISO 8601 with timezone
    publisher: str | None  # source key
    url: str | None
    text_file: str  # file name beside this module
    # Only the day is known (from the dateline context "Donnerstag (14. September)"); the time
    # in published_at is a placeholder and consumers should not display it.
    published_at_precision: str = "DAY"


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------

# The publisher could not be identified. The layout (dash dateline "Seoul", SEO-style subheads,
# "© Name/Imago" credits) resembles IPPEN.MEDIA sites, but one search of the stored pages corpus
# for the exact headline found no copy of this article, so we neither guess an outlet name nor a
# URL. The wording also tracks a Reuters dispatch closely, but the text credits no agency, so no
# Reuters source is modelled: an uncredited resemblance is not an attribution.
PUBLISHER_KEY: Final = "seed-publisher"

SOURCES: Final[tuple[DemoSource, ...]] = (
    DemoSource(
        key=PUBLISHER_KEY,
        name="Seed article publisher (unidentified outlet)",
        kind="NEWS_OUTLET",
        # Unknown outlet: no track record to rate.
        reliability=None,
    ),
    DemoSource(
        key="kcna",
        name="KCNA",
        kind="NEWS_AGENCY",
        aliases=(
            "Korean Central News Agency",
            "Koreanische Zentrale Nachrichtenagentur",
            "offizielle koreanische Zentrale Nachrichtenagentur",
            "KCNA",
        ),
        # D, not E: KCNA is the regime's authentic channel, so its reports of what the
        # leadership says and does are genuine as *statements*, but its factual content is
        # routinely distorted for propaganda, i.e. "not usually reliable".
        reliability="D",
        state_affiliated=True,
        country="KP",
    ),
    DemoSource(
        key="kremlin",
        name="Kremlin",
        kind="GOVERNMENT",
        aliases=("Kreml", "Kremlin", "Kremlin (Russian Presidential Administration)"),
        # Not rated: authoritative about its own schedule (e.g. Lawrow's trip), but a party to
        # the war with a record of disinformation; a single letter would conflate the two.
        reliability=None,
        state_affiliated=True,
        country="RU",
    ),
    DemoSource(
        key="kyodo",
        name="Kyodo",
        kind="NEWS_AGENCY",
        aliases=("Kyodo News", "Kyodo Tsushin", "japanische Nachrichtenagentur Kyodo"),
        # B: established wire service with a long record of usually accurate reporting.
        reliability="B",
        # Kyodo is a cooperative owned by its member media, not a state agency.
        state_affiliated=False,
        country="JP",
    ),
    DemoSource(
        # Anonymous sources are only meaningful relative to who quotes them, hence the
        # Kyodo-specific key. No affiliation: being quoted by Kyodo is not being part of it.
        key="kyodo-unnamed-sources",
        name="Ungenannte Quellen (Kyodo)",
        kind="ANONYMOUS",
        aliases=("ungenannte Quellen", "unnamed sources"),
        reliability=None,
    ),
    DemoSource(
        key="us-intelligence",
        name="US-Geheimdienste",
        kind="INTELLIGENCE",
        aliases=("US intelligence", "US intelligence community", "US-Geheimdienste"),
        # Not rated: the article cites "months of assessments" collectively, with no agency or
        # product that a track record could be attached to.
        reliability=None,
        state_affiliated=True,
        country="US",
    ),
    DemoSource(
        # Modelled so that the 11/7 million figures keep their provenance: the article says
        # Watling reports them *according to* recent western estimates; whose estimates
        # (governments, intelligence, analysts) is not stated, hence OTHER and no country.
        key="western-estimates",
        name="Westliche Schätzungen",
        kind="OTHER",
        # The inflected form is how the article names them ("Jüngsten westlichen Schätzungen").
        aliases=("westliche Schätzungen", "jüngsten westlichen Schätzungen", "western estimates"),
        reliability=None,
    ),
    DemoSource(
        key="rusi",
        name="Royal United Services Institute",
        kind="THINK_TANK",
        aliases=("RUSI", "Royal United Services Institute"),
        # Not rated: the Admiralty grade describes reporting sources; a think tank offers
        # analytic judgement, which is better weighed claim by claim.
        reliability=None,
        country="GB",  # "einer britischen Denkfabrik"
    ),
    DemoSource(
        key="jack-watling",
        name="Jack Watling",
        kind="PERSON",
        aliases=("Watling",),
        # "Senior Research Fellow für Landkriegsführung am Royal United Services Institute".
        affiliation="rusi",
        reliability=None,
    ),
    DemoSource(
        key="imago",
        name="Imago",
        kind="PHOTO_AGENCY",
        aliases=("IMAGO", "Imago Images", "imago images"),
        # Not rated: it distributes other people's pictures and captions.
        reliability=None,
        country="DE",
    ),
    # Photographers from the "© Name/Imago" credit lines. Both are frequently credited elsewhere
    # as Russian state-agency / Kremlin-pool photographers, but this article credits only Imago,
    # so we record the affiliation the document gives and leave state_affiliated False.
    DemoSource(
        key="artem-geodakyan",
        name="Artem Geodakyan",
        kind="PERSON",
        affiliation="imago",
    ),
    DemoSource(
        key="mikhail-metzel",
        name="Mikhail Metzel",
        kind="PERSON",
        affiliation="imago",
    ),
)

DOCUMENT: Final = DemoDocument(
    title="Einladung zum Gegenbesuch angenommen: Putin will weiter Deals mit Nordkorea machen",
    language="de",
    # Date from the text ("am Donnerstag (14. September)", future tense for Thursday's plans);
    # the time of day is unknown: noon Central European Summer Time is a placeholder that
    # keeps the date right in every time zone from UTC-11 to UTC+12.
    published_at="2023-09-14T12:00:00+02:00",
    publisher=PUBLISHER_KEY,
    url=None,  # not found; deliberately not invented
    text_file="kim-putin-vostochny.de.txt",
)

_PUB: Final = PUBLISHER_KEY

# --------------------------------------------------------------------------------------------
# Claims, in order of first appearance in the article.
#
# Photo captions: the attributed source is the credited photographer (a PERSON affiliated with
# Imago), not Imago. The photograph is the evidence for what the caption asserts and the
# photographer is its originator; Imago is the distributor, already captured by the
# photographer's affiliation. Putting Imago in ``via`` would invert the semantics of ``via``
# (the photographer does not cite Imago).
# --------------------------------------------------------------------------------------------

CLAIMS: Final[tuple[DemoClaim, ...]] = (
    DemoClaim(
        key="putin-accepts-invitation",
        statement=(
            "Putin hat die Einladung Kims angenommen, Nordkorea in Zukunft einen Gegenbesuch "
            "abzustatten."
        ),
        language="de",
        attributions=(
            # "..., wie die offizielle koreanische Zentrale Nachrichtenagentur am Donnerstag
            # berichtete": KCNA is the source, the outlet merely relays it.
            DemoAttribution(
                source="kcna",
                quote=(
                    "hatte der russische Präsident Wladimir Putin die Einladung Kims angenommen, "
                    "Nordkorea „in Zukunft“ einen Gegenbesuch abzustatten"
                ),
            ),
            # Headline, teaser and subhead repeat it in the outlet's own voice.
            DemoAttribution(source=_PUB, quote="Einladung zum Gegenbesuch angenommen"),
            DemoAttribution(source=_PUB, quote="Die Einladung zum Gegenbesuch steht"),
            DemoAttribution(source=_PUB, quote="Putin nimmt Einladung für Gegenbesuch an"),
        ),
    ),
    DemoClaim(
        key="putin-wants-more-deals",
        statement="Putin will weiterhin Geschäfte mit Nordkorea machen.",
        language="de",
        attributions=(
            DemoAttribution(source=_PUB, quote="Putin will weiter Deals mit Nordkorea machen"),
        ),
    ),
    DemoClaim(
        key="photo-putin-kim-vostochny",
        statement="Putin und Kim Jong Un besuchten gemeinsam das Kosmodrom Wostotschny.",
        language="de",
        attributions=(
            DemoAttribution(
                source="artem-geodakyan",
                quote=(
                    "Der russische Präsident Wladimir Putin und der nordkoreanische Staatschef "
                    "Kim Jong Un beim Besuch des Kosmodroms von Wostotschny"
                ),
            ),
        ),
    ),
    DemoClaim(
        # Teaser "Der eine braucht Waffen" (der eine = Putin, named first in the headline) and
        # subhead "Putin braucht Unterstützung im Ukraine-Krieg" state the same need.
        key="putin-needs-weapons",
        statement="Putin braucht für den Krieg in der Ukraine Unterstützung, insbesondere Waffen.",
        language="de",
        attributions=(
            DemoAttribution(source=_PUB, quote="Der eine braucht Waffen"),
            DemoAttribution(source=_PUB, quote="Putin braucht Unterstützung im Ukraine-Krieg"),
        ),
    ),
    DemoClaim(
        key="north-korea-needs-nuclear-help",
        statement="Nordkorea braucht Hilfe bei seinem Atomprogramm.",
        language="de",
        attributions=(
            # "der andere" = Kim Jong Un / Nordkorea; the subhead names Nordkorea outright.
            DemoAttribution(source=_PUB, quote="der andere Hilfe beim Atomprogramm"),
            DemoAttribution(source=_PUB, quote="Nordkorea Hilfe beim Atomprogramm"),
        ),
    ),
    DemoClaim(
        key="putin-kim-expand-business",
        statement="Putin und Kim Jong Un wollen ihre Geschäfte miteinander ausbauen.",
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB, quote="Putin und Kim Jong Un wollen ihre Geschäfte ausbauen"
            ),
        ),
    ),
    DemoClaim(
        # The lead and the later "Anschließend ..." sentence both assert the inspection; only
        # the second names Wladiwostok, so the statement keeps to what both say.
        key="kim-inspects-pacific-fleet",
        statement="Kim Jong Un wird die russische Pazifikflotte inspizieren.",
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote=(
                    "Kim Jong Un wird am Donnerstag (14. September) Luftfahrtfabriken besuchen "
                    "und die russische Pazifikflotte inspizieren"
                ),
            ),
            DemoAttribution(
                source=_PUB,
                quote=(
                    "Anschließend wird der nordkoreanische Staatschef nach Wladiwostok reisen, "
                    "um die Pazifikflotte zu inspizieren"
                ),
            ),
        ),
    ),
    DemoClaim(
        key="lavrov-to-pyongyang",
        statement=(
            "Der russische Außenminister Sergej Lawrow wird im Oktober 2023 zu weiteren "
            "Gesprächen nach Pjöngjang reisen."
        ),
        language="de",
        attributions=(
            # "..., teilte der Kreml mit." Konjunktiv I "werde" = reported speech, no hedge.
            DemoAttribution(
                source="kremlin",
                quote=(
                    "werde der russische Außenminister Sergej Lawrow im nächsten Monat zu "
                    "weiteren Gesprächen nach Pjöngjang reisen"
                ),
            ),
        ),
    ),
    DemoClaim(
        key="show-of-support-rebuffs-us",
        statement=(
            "Putin und Kim Jong Un haben in der Woche des 14. September 2023 öffentlich "
            "Unterstützung und Kameradschaft demonstriert und damit den Bemühungen der USA, "
            "Putin wegen der Invasion in der Ukraine und Kim wegen seines Strebens nach "
            "Atomwaffen und ballistischen Raketen zu isolieren, eine klare Abfuhr erteilt."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote=(
                    "Das international geächtete Paar hat in dieser Woche eine Show der "
                    "Unterstützung und Kameradschaft veranstaltet und damit den Bemühungen der "
                    "USA, Putin wegen seiner Invasion in der Ukraine und Kim wegen seines "
                    "Strebens nach Atomwaffen und ballistischen Raketen zu isolieren, eine klare "
                    "Abfuhr erteilt"
                ),
            ),
        ),
    ),
    DemoClaim(
        key="putin-receives-kim-at-vostochny",
        statement=(
            "Putin empfing Kim Jong Un am 13. September 2023 auf dem Weltraumbahnhof Wostotschny."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote="Putin empfing Kim am Mittwoch auf dem Weltraumbahnhof Vostochny Cosmodrome",
            ),
        ),
    ),
    DemoClaim(
        key="five-hours-of-talks",
        statement=(
            "Putin und Kim Jong Un führten auf dem Weltraumbahnhof Wostotschny fast fünf "
            "Stunden lang Gespräche und aßen zu Abend."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote="wo sie fast fünf Stunden lang Gespräche führten und zu Abend aßen",
                # "fast" (almost) is precision, not doubt: an upper bound, no hedge.
                quantity=DemoQuantity(value=5.0, unit="hours", bound="AT_MOST"),
            ),
        ),
    ),
    DemoClaim(
        key="talks-on-arms-and-food-aid",
        statement=(
            "Putin und Kim Jong Un haben über Waffenverkäufe von Nordkorea an Russland und über "
            "Nahrungsmittelhilfe für Nordkorea gesprochen."
        ),
        language="de",
        attributions=(
            # The outlet's own inference, flagged by "Wahrscheinlich".
            DemoAttribution(
                source=_PUB,
                quote=(
                    "Wahrscheinlich haben sie über Waffenverkäufe von Nordkorea an Russland und "
                    "Nahrungsmittelhilfe für Nordkorea gesprochen"
                ),
                confidence=0.7,
                hedges=("Wahrscheinlich",),
            ),
        ),
    ),
    DemoClaim(
        # The relative clause about the special train is the outlet's background and is not
        # modelled; the quote has to span it because the Kremlin frame sits after it.
        key="kim-to-komsomolsk-aircraft-plants",
        statement=(
            "Kim Jong Un reist am 14. September 2023 in die Stadt Komsomolsk am Amur, um "
            "militärische und zivile Flugzeugwerke zu besuchen."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source="kremlin",
                quote=(
                    "Am Donnerstag wird Kim, der in einem Sonderzug nach Russland reiste, nach "
                    "Angaben des Kremls in die Stadt Komsomolsk am Amur reisen, um militärische "
                    "und zivile Flugzeugwerke zu besuchen"
                ),
            ),
        ),
    ),
    DemoClaim(
        # A different, more specific claim than the Kremlin's: a Sukhoi plant, from Kyodo,
        # which in turn relies on unnamed sources.
        key="kim-to-visit-sukhoi-plant",
        statement=(
            "Kim Jong Un wird eine Fabrik besuchen, in der Sukhoi-Kampfjets hergestellt werden."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source="kyodo",
                quote=(
                    "Kim werde voraussichtlich eine Fabrik besuchen, in der Sukhoi-Kampfjets "
                    "hergestellt werden"
                ),
                via=("kyodo-unnamed-sources",),
                confidence=0.75,
                hedges=("voraussichtlich",),
            ),
        ),
    ),
    DemoClaim(
        key="photo-putin-greets-kim",
        statement=(
            "Putin begrüßte Kim Jong Un bei einem Besuch des Kosmodroms Wostotschny in der "
            "Region Amur, Russland."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source="mikhail-metzel",
                quote=(
                    "Der russische Präsident Wladimir Putin bei der Begrüßung des "
                    "nordkoreanischen Führers Kim Jong Un während eines Besuchs des Kosmodroms "
                    "von Wostotschny in der Region Amur, Russland"
                ),
            ),
        ),
    ),
    DemoClaim(
        key="russia-wants-north-korean-weapons",
        statement=(
            "Russland möchte mehr nordkoreanische Waffen erwerben, um seine schwindenden "
            "Vorräte für den Krieg in der Ukraine aufzufüllen."
        ),
        language="de",
        attributions=(
            # "Einschätzungen der US-Geheimdienste, wonach ...": "Einschätzungen" names the
            # genre of the statement (the frame), not a degree of certainty, so no hedge.
            DemoAttribution(
                source="us-intelligence",
                quote=(
                    "wonach Russland mehr nordkoreanische Waffen erwerben möchte, um seine "
                    "schwindenden Vorräte für den Krieg in der Ukraine aufzufüllen"
                ),
            ),
        ),
    ),
    DemoClaim(
        # The "während"-clause is subordinate to the "wonach"-clause, so it falls inside the
        # scope of the US intelligence assessments, not the outlet's own voice.
        key="north-korea-seeks-economy-and-technology",
        statement=(
            "Nordkorea versucht, seine angeschlagene Wirtschaft anzukurbeln und Russland dazu "
            "zu bringen, fortschrittliche Technologie für seine Satelliten- und Atomprogramme "
            "zu liefern."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source="us-intelligence",
                quote=(
                    "während Pjöngjang versucht, seine angeschlagene Wirtschaft anzukurbeln und "
                    "Moskau dazu zu bringen, fortschrittliche Technologie für seine Satelliten- "
                    "und Atomprogramme zu liefern"
                ),
            ),
        ),
    ),
    DemoClaim(
        # "Es wird vermutet" is an agentless passive: nobody else is named, so it is the
        # outlet's own (hedged) voice rather than an anonymous source.
        key="north-korea-old-shell-stocks",
        statement=(
            "Nordkorea verfügt über einen großen Vorrat an veralteten Artilleriegranaten und "
            "Raketen, die mit den in der Ukraine eingesetzten sowjetischen und russischen "
            "Waffensystemen kompatibel wären."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote=(
                    "Es wird vermutet, dass Nordkorea über einen großen Vorrat an veralteten "
                    "Artilleriegranaten und Raketen verfügt, die mit den in der Ukraine "
                    "eingesetzten sowjetischen und russischen Waffensystemen kompatibel wären"
                ),
                confidence=0.55,
                hedges=("Es wird vermutet",),
            ),
        ),
    ),
    DemoClaim(
        # Second conjunct of the same "Es wird vermutet, dass ..." sentence; the quote starts
        # at the hedge so that the hedge stays inside it.
        key="north-korea-production-capacity",
        statement=(
            "Nordkorea verfügt über Produktionskapazitäten, die Russland helfen würden, seine "
            "hohe Munitionsverbrauchsrate aufrechtzuerhalten."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote=(
                    "Es wird vermutet, dass Nordkorea über einen großen Vorrat an veralteten "
                    "Artilleriegranaten und Raketen verfügt, die mit den in der Ukraine "
                    "eingesetzten sowjetischen und russischen Waffensystemen kompatibel wären, "
                    "und über Produktionskapazitäten verfügt, die Russland helfen würden, seine "
                    "hohe Munitionsverbrauchsrate aufrechtzuerhalten"
                ),
                confidence=0.55,
                hedges=("Es wird vermutet",),
            ),
        ),
    ),
    # "Jüngsten westlichen Schätzungen zufolge hat Russland ... eingesetzt und wird ...
    # voraussichtlich weitere 7 Millionen abfeuern, so Jack Watling, ...": the speaker is
    # Watling ("so Jack Watling"), who attributes both figures to western estimates; the
    # "zufolge" frame scopes both conjuncts.
    DemoClaim(
        key="russia-fired-11-million-shells",
        statement=(
            "Russland hat im Jahr 2022 bis zu elf Millionen Granaten in der Ukraine eingesetzt."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source="jack-watling",
                quote=(
                    "Jüngsten westlichen Schätzungen zufolge hat Russland im vergangenen Jahr bis "
                    "zu elf Millionen Granaten in der Ukraine eingesetzt"
                ),
                via=("western-estimates",),
                confidence=0.9,
                hedges=("bis zu",),
                quantity=DemoQuantity(value=11_000_000.0, unit="shells", bound="AT_MOST"),
            ),
        ),
    ),
    DemoClaim(
        key="russia-to-fire-7-million-shells",
        statement=(
            "Russland wird im Jahr 2023 in der Ukraine weitere 7 Millionen Granaten abfeuern."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source="jack-watling",
                quote="wird in diesem Jahr voraussichtlich weitere 7 Millionen abfeuern",
                via=("western-estimates",),
                confidence=0.75,
                hedges=("voraussichtlich",),
                # Bare figure in the text -> EXACT; the forecast's uncertainty is the hedge.
                quantity=DemoQuantity(value=7_000_000.0, unit="shells", bound="EXACT"),
            ),
        ),
    ),
    DemoClaim(
        # "würde" is the conditional of a hypothetical deal, asserted without doubt.
        key="arms-deal-violates-un-sanctions",
        statement=(
            "Ein Waffengeschäft zwischen Russland und Nordkorea würde gegen die UN-Sanktionen "
            "verstoßen."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote="Ein mögliches Waffengeschäft würde gegen die UN-Sanktionen verstoßen",
            ),
        ),
    ),
    DemoClaim(
        key="russia-backed-un-sanctions",
        statement=(
            "Russland hat die UN-Sanktionen gegen Nordkorea als Mitgliedstaat und ständiges "
            "Mitglied des Sicherheitsrats bisher unterstützt."
        ),
        language="de",
        attributions=(
            DemoAttribution(
                source=_PUB,
                quote=(
                    "die Russland als Mitgliedstaat und ständiges Mitglied des Sicherheitsrats "
                    "bisher unterstützt hat"
                ),
            ),
        ),
    ),
)


def document_text() -> str:
    """Return the seed article text exactly as the offsets are defined on."""
    return Path(__file__).with_name(DOCUMENT.text_file).read_text(encoding="utf-8")


def quote_span(a: DemoAttribution, text: str) -> tuple[int, int]:
    """Return ``(start, end)`` of occurrence ``a.occurrence`` of ``a.quote`` in ``text``.

    Occurrences are counted with overlapping matches allowed (each search resumes one code
    point after the previous match), so the numbering is unambiguous for any quote.

    Raises:
        ValueError: if the quote is empty, the occurrence is negative, or there are fewer than
            ``a.occurrence + 1`` occurrences.
    """
    if not a.quote:
        raise ValueError("empty quote")
    if a.occurrence < 0:
        raise ValueError(f"negative occurrence {a.occurrence} for quote {a.quote!r}")
    start = -1
    for _ in range(a.occurrence + 1):
        start = text.find(a.quote, start + 1)
        if start < 0:
            raise ValueError(
                f"quote {a.quote!r} has fewer than {a.occurrence + 1} occurrence(s) in the text"
            )
    return start, start + len(a.quote)
