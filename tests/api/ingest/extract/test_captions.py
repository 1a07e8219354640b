"""Photo captions: the credited photographer, affiliated with the agency."""

from __future__ import annotations

import pytest

from api.ingest.extract import extract


@pytest.mark.parametrize(
    ("text", "person", "agency", "agency_kind"),
    [
        (
            "Putin und Kim beim Besuch. © Artem Geodakyan/Imago",
            "Artem Geodakyan",
            "Imago",
            "PHOTO_AGENCY",
        ),
        ("Schiffe im Hafen. Foto: Marcus Brandt/dpa", "Marcus Brandt", "dpa", "NEWS_AGENCY"),
        (
            "Soldiers near Bakhmut. Photo: Reuters/Anna Voitenko",
            "Anna Voitenko",
            "Reuters",
            "NEWS_AGENCY",
        ),
        (
            "Firefighters in Kyiv on Tuesday. (AP Photo/Daniel Kress)",
            "Daniel Kress",
            "AP",
            "NEWS_AGENCY",
        ),
        (
            "Passengers wait at the airport. REUTERS/Maria Ostrowski",
            "Maria Ostrowski",
            "Reuters",
            "NEWS_AGENCY",
        ),
        (
            "Die Flut in Passau. Foto: Kay Nietfeld/picture alliance",
            "Kay Nietfeld",
            "picture alliance",
            "PHOTO_AGENCY",
        ),
    ],
)
def test_photographer_and_agency(text: str, person: str, agency: str, agency_kind: str) -> None:
    [claim] = extract(text, "de" if "Foto" in text or "©" in text else "en")
    assert claim.kind == "CAPTION"
    assert claim.source is not None
    assert (claim.source.name, claim.source.kind) == (person, "PERSON")
    assert claim.source.affiliation is not None
    assert (claim.source.affiliation.name, claim.source.affiliation.kind) == (agency, agency_kind)
    assert "©" not in claim.quote and "Photo" not in claim.quote


def test_a_credit_that_names_only_an_agency() -> None:
    [claim] = extract("Der Hafen am Morgen. Foto: dpa", "de")
    assert claim.kind == "CAPTION"
    assert claim.source is not None and (claim.source.name, claim.source.kind) == (
        "dpa",
        "NEWS_AGENCY",
    )
    assert claim.quote == "Der Hafen am Morgen"
