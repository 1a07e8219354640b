"""Nested chains: who the attributed source cites, outermost first."""

from __future__ import annotations

from api.ingest.extract import extract


def test_kyodo_citing_unnamed_sources() -> None:
    text = (
        "Die japanische Nachrichtenagentur Kyodo berichtete unter Berufung auf ungenannte "
        "Quellen, Kim werde voraussichtlich eine Fabrik besuchen."
    )
    [claim] = extract(text, "de")
    assert claim.source is not None and claim.source.name == "Kyodo"
    assert claim.source.kind == "NEWS_AGENCY"
    assert [(v.name, v.kind) for v in claim.via] == [("Ungenannte Quellen (Kyodo)", "ANONYMOUS")]
    assert claim.quote == "Kim werde voraussichtlich eine Fabrik besuchen"


def test_reuters_citing_officials_familiar_with_the_matter() -> None:
    text = (
        "The package will be announced next week, Reuters reported, citing officials familiar "
        "with the matter."
    )
    [claim] = extract(text, "en")
    assert claim.source is not None and claim.source.name == "Reuters"
    assert [v.kind for v in claim.via] == ["ANONYMOUS"]
    assert claim.via[0].name == "Officials familiar with the matter (Reuters)"


def test_watling_of_rusi_on_western_estimates() -> None:
    text = (
        "Jüngsten westlichen Schätzungen zufolge hat Russland bis zu elf Millionen Granaten "
        "eingesetzt, so Jack Watling, Senior Research Fellow für Landkriegsführung am Royal "
        "United Services Institute, einer britischen Denkfabrik."
    )
    [claim] = extract(text, "de")
    source = claim.source
    assert source is not None and (source.name, source.kind) == ("Jack Watling", "PERSON")
    assert source.affiliation is not None
    assert (source.affiliation.name, source.affiliation.kind) == (
        "Royal United Services Institute",
        "THINK_TANK",
    )
    assert [v.name for v in claim.via] == ["Westliche Schätzungen"]
    assert claim.statement.startswith("Russland hat")


def test_a_quoted_source_that_denies() -> None:
    text = (
        "Iran's foreign ministry denied that it had supplied weapons, the state news agency "
        "IRNA said."
    )
    [claim] = extract(text, "en")
    assert claim.source is not None and claim.source.name == "IRNA"
    assert [v.name for v in claim.via] == ["Foreign Ministry (Iran)"]
    assert claim.stance == "DENIES"


def test_a_sentence_that_only_names_the_source_of_the_one_before() -> None:
    text = (
        "Die EZB hat den Leitzins bei 4 Prozent belassen. Das teilte die Notenbank in "
        "Frankfurt mit."
    )
    [claim] = extract(text, "de")
    assert claim.source is not None and claim.source.name == "Notenbank"
    assert claim.quote.startswith("Die EZB hat")
