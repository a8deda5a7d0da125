"""The table of English SEND authorities, checked against the ONS lookup it was derived from."""

from collections import Counter

import pytest

from sendmediation.localities.authorities import (
    AUTHORITIES,
    AuthorityKind,
    Country,
    authority_by_code,
    authority_for_district,
    country_for_code,
)

# The 2023 reorganisations: codes in the 2021 ONS lookup that no longer name an authority.
RETIRED_UPPER_TIER = {"E10000006", "E10000023", "E10000027", "E08000016", "E08000019"}
NEW_AUTHORITIES = {
    "E06000063": "Cumberland",
    "E06000064": "Westmorland and Furness",
    "E06000065": "North Yorkshire",
    "E06000066": "Somerset",
    "E08000038": "Barnsley",
    "E08000039": "Sheffield",
}


@pytest.fixture(scope="module")
def ons_2021_lookup() -> list[dict[str, str]]:
    authorities_package = pytest.importorskip("qlacref_authorities")
    records: list[dict[str, str]] = authorities_package.records
    return records


def test_there_are_153_authorities_with_unique_codes() -> None:
    assert len(AUTHORITIES) == 153
    assert len({authority.code for authority in AUTHORITIES}) == 153


def test_kinds_follow_the_code_prefixes() -> None:
    prefixes = {
        "E06": AuthorityKind.UNITARY,
        "E08": AuthorityKind.METROPOLITAN,
        "E09": AuthorityKind.LONDON,
        "E10": AuthorityKind.COUNTY,
    }
    for authority in AUTHORITIES:
        assert authority.kind is prefixes[authority.code[:3]], authority
    assert Counter(authority.kind for authority in AUTHORITIES) == {
        AuthorityKind.UNITARY: 63,
        AuthorityKind.METROPOLITAN: 36,
        AuthorityKind.LONDON: 33,
        AuthorityKind.COUNTY: 21,
    }


def test_scilly_and_the_city_of_london_are_authorities_in_their_own_right() -> None:
    assert authority_by_code("E06000053").name == "Isles of Scilly"
    assert authority_by_code("E06000053").kind is AuthorityKind.UNITARY
    assert authority_by_code("E09000001").name == "City of London"
    assert authority_by_code("E09000001").kind is AuthorityKind.LONDON


def test_kind_values_match_the_database_choices() -> None:
    assert [kind.value for kind in AuthorityKind] == ["county", "unitary", "metropolitan", "london"]
    assert AuthorityKind.LONDON.label == "London borough"


def test_table_is_the_2021_lookup_brought_up_to_date(ons_2021_lookup: list[dict[str, str]]) -> None:
    upper_tier = {
        record["UTLA21CD"]: record["UTLA21NM"]
        for record in ons_2021_lookup
        if record["UTLA21CD"].startswith("E")
    }
    expected = {
        code: name for code, name in upper_tier.items() if code not in RETIRED_UPPER_TIER
    } | NEW_AUTHORITIES
    assert {authority.code: authority.name for authority in AUTHORITIES} == expected


def test_every_2021_district_maps_to_its_county_or_its_successor(
    ons_2021_lookup: list[dict[str, str]],
) -> None:
    successors = {"E10000023": "E06000065", "E10000027": "E06000066"}
    cumbria = {
        "E07000026": "E06000063",  # Allerdale
        "E07000028": "E06000063",  # Carlisle
        "E07000029": "E06000063",  # Copeland
        "E07000027": "E06000064",  # Barrow-in-Furness
        "E07000030": "E06000064",  # Eden
        "E07000031": "E06000064",  # South Lakeland
    }
    recoded = {"E08000016": "E08000038", "E08000019": "E08000039"}
    for record in ons_2021_lookup:
        district, upper = record["LTLA21CD"], record["UTLA21CD"]
        authority = authority_for_district(district)
        if not district.startswith("E"):
            assert authority is None
            continue
        expected = cumbria.get(district) or recoded.get(district) or successors.get(upper, upper)
        assert authority is not None, district
        assert authority.code == expected, district


@pytest.mark.parametrize(
    ("district", "authority"),
    [
        ("E07000110", "E10000016"),  # Maidstone: Kent
        ("E07000121", "E10000017"),  # Lancaster: Lancashire
        ("E06000063", "E06000063"),  # Cumberland
        ("E08000039", "E08000039"),  # Sheffield
        ("E09000033", "E09000033"),  # Westminster
        ("E10000016", "E10000016"),  # Kent names itself
        ("E07000163", "E06000065"),  # Craven, now North Yorkshire
        ("E10000023", "E06000065"),  # North Yorkshire county council, now the unitary
        ("E07000246", "E06000066"),  # Somerset West and Taunton, now Somerset
        ("E08000016", "E08000038"),  # Barnsley's old code
    ],
)
def test_authority_for_district(district: str, authority: str) -> None:
    found = authority_for_district(district)
    assert found is not None
    assert found.code == authority


@pytest.mark.parametrize(
    "code",
    ["W06000015", "S12000036", "N09000003", "L99999999", "M99999999", "E10000006", "E07999999", ""],
)
def test_no_english_authority(code: str) -> None:
    assert authority_for_district(code) is None


def test_authority_by_code_rejects_other_codes() -> None:
    with pytest.raises(KeyError):
        authority_by_code("E10000006")


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("E09000033", Country.ENGLAND),
        ("E07000110", Country.ENGLAND),
        ("W06000015", Country.WALES),
        ("S12000036", Country.SCOTLAND),
        ("N09000003", Country.NORTHERN_IRELAND),
        ("L99999999", Country.CHANNEL_ISLANDS),
        ("M99999999", Country.ISLE_OF_MAN),
        ("L12345678", None),
        ("X99999999", None),
        ("E0600006", None),
        ("", None),
    ],
)
def test_country_for_code(code: str, country: Country | None) -> None:
    assert country_for_code(code) is country


def test_country_labels() -> None:
    assert Country.NORTHERN_IRELAND.label == "Northern Ireland"
    assert str(Country.WALES) == "wales"
