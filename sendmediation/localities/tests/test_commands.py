"""The build_postcode_index and load_demo_coverage commands, each safe to run again."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sendmediation.localities.models import CoverageChange, LocalAuthority
from sendmediation.localities.postcodes import INDEX_FILENAME, PostcodeIndex
from sendmediation.localities.tests.test_postcodes import SMALL_DIRECTORY, write_source


def run(*arguments: str) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def test_build_postcode_index_builds_once(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source", SMALL_DIRECTORY)
    var = tmp_path / "var"

    first = run("build_postcode_index", "--directory", str(var), "--source-dir", str(source))

    assert "Built: 13 postcodes" in first
    assert first.rstrip().endswith(" s.")
    path = var / INDEX_FILENAME
    built = path.stat().st_ino, path.stat().st_mtime_ns
    second = run("build_postcode_index", "--directory", str(var), "--source-dir", str(source))
    assert "Already up to date: 13 postcodes" in second
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == built
    forced = run("build_postcode_index", "--directory", str(var), "--source-dir", str(source), "--force")
    assert "Built: 13 postcodes" in forced
    assert path.stat().st_ino != built[0]
    index = PostcodeIndex(path)
    assert index.lookup("SW1A 1AA").authority_code == "E09000033"
    index.close()


def test_build_postcode_index_rebuilds_when_the_data_changes(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source", SMALL_DIRECTORY)
    var = tmp_path / "var"
    run("build_postcode_index", "--directory", str(var), "--source-dir", str(source))
    write_source(source, SMALL_DIRECTORY[:3])
    assert "Built: 3 postcodes" in run(
        "build_postcode_index", "--directory", str(var), "--source-dir", str(source)
    )


def test_build_postcode_index_reports_bad_data(tmp_path: Path) -> None:
    source = write_source(tmp_path / "source", [("AA1 1AA", "E07999999", 1.0, 1.0)])
    with pytest.raises(CommandError, match="E07999999"):
        run("build_postcode_index", "--directory", str(tmp_path / "var"), "--source-dir", str(source))


@pytest.mark.django_db
def test_load_demo_coverage_covers_42_and_names_some_providers() -> None:
    output = run("load_demo_coverage")

    today = datetime.date(2026, 1, 1)
    covered = LocalAuthority.objects.covered(on=today)
    assert covered.count() == 42
    assert "Demo coverage: 42 authorities covered" in output
    westminster = covered.get(code="E09000033")
    assert westminster.contact_phone.startswith("0808 157 0")
    assert westminster.contact_email.endswith("@kestrel-mediation.example")
    assert {"E06000063", "E06000064"} <= set(covered.values_list("code", flat=True))
    kent = LocalAuthority.objects.get(code="E10000016")
    assert not kent.is_covered(on=today)
    assert kent.other_provider_name == "Weald Family Mediation"
    assert LocalAuthority.objects.exclude(other_provider_name="").count() == 4
    changes = CoverageChange.objects.all()
    assert changes.exists()
    assert all(change.changed_by is None and change.via == "load_demo_coverage" for change in changes)


@pytest.mark.django_db
def test_load_demo_coverage_again_changes_nothing() -> None:
    run("load_demo_coverage")
    recorded = CoverageChange.objects.count()
    output = run("load_demo_coverage")
    assert "0 fields changed" in output
    assert CoverageChange.objects.count() == recorded
    assert LocalAuthority.objects.count() == 153


@pytest.mark.django_db
def test_load_demo_coverage_loads_missing_authorities_first() -> None:
    LocalAuthority.objects.filter(code="E09000033").delete()
    run("load_demo_coverage")
    assert LocalAuthority.objects.covered(on=datetime.date(2026, 1, 1)).filter(code="E09000033").exists()
