"""Importing the police extract's locations, vehicles and intelligence."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from safehub.imports.models import ImportRun
from safehub.intelligence.importer import Ends, is_adult_on, normalise_vrm, pairs
from safehub.intelligence.models import Association, Location, PersonOfInterest, Vehicle
from safehub.licensing.models import Vehicle as LicensedVehicle

pytestmark = pytest.mark.django_db

PERSONS = (
    "police_id,given_name,family_name,date_of_birth,sex,address_line1,town,postcode,"
    "ethnic_appearance",
    "PN900000001,Darren,Testkeeper,04/02/1980,M,1 Oak Road,Safehub,SH1 1AA,IC1",
    "PN900000002,Kayleigh,Testchild,04/02/2012,F,2 Oak Road,Safehub,SH1 1AA,IC1",
    "PN900000003,Lee,Testyoung,10/06/2008,M,3 Oak Road,Safehub,SH1 1AA,IC1",
)
LOCATIONS = (
    "location_id,location_type,name,address_line1,postcode,easting,northing",
    "L90H00,hotel,Testbury Lodge,1 Station Road,sh1 2bb,431000,275000",
    "L90A00,address,9 Elm Street,9 Elm Street,SH2 3CC,432000,276000",
)
VEHICLES = (
    "vrm,make_model,colour,keeper_police_id",
    "xj68 vsx,Ford Focus,silver,PN900000001",
    "AB12 CDE,Toyota Prius,white,",
)
INTEL_HEADER = "intel_ref,recorded_on,subject_police_id,other_police_id,location_id,vrm,category"
INTEL = (
    INTEL_HEADER,
    "I90000001,01/03/2026,PN900000001,PN900000002,,,associate",
    "I90000002,02/03/2026,PN900000002,PN900000001,L90H00,,seen_at_location",
    "I90000003,03/03/2026,PN900000002,PN900000001,,XJ68 VSX,seen_entering_vehicle",
    "I90000004,04/03/2026,PN900000001,,L90A00,XJ68VSX,seen_at_location",
    # 18 on 10/06/2026: a child on this day, so not a person of interest
    "I90000005,05/03/2026,PN900000003,,L90H00,,seen_at_location",
)


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "imports"
    settings.SAFEHUB_IMPORTS_DIR = str(path)
    settings.SAFEHUB_IMPORTS_INLINE = True
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, "--no-progress", stdout=out)
    return out.getvalue()


def write(tmp_path: Path, name: str, lines: tuple[str, ...] | list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def load_basics(tmp_path: Path) -> None:
    run("police_persons", write(tmp_path, "persons.csv", PERSONS))
    run("police_locations", write(tmp_path, "locations.csv", LOCATIONS))
    run("police_vehicles", write(tmp_path, "vehicles.csv", VEHICLES))


def test_locations_vehicles_and_intelligence_are_imported(tmp_path: Path) -> None:
    load_basics(tmp_path)
    hotel = Location.objects.get(reference="L90H00")
    assert (hotel.kind, hotel.postcode, hotel.easting, hotel.northing) == (
        "hotel",
        "SH1 2BB",
        431000,
        275000,
    )
    assert Location.objects.get(reference="L90A00").kind == "house"
    car = Vehicle.objects.get(vrm="XJ68VSX")
    assert car.keeper is not None and car.keeper.family_name == "Testkeeper"
    assert Vehicle.objects.get(vrm="AB12CDE").keeper is None

    out = run("police_intelligence", write(tmp_path, "intelligence.csv", INTEL))
    assert "5 new, 0 changed, 0 unchanged, 0 rejected" in out
    first = Association.objects.get(reference="I90000001")
    assert first.kind == "associate" and first.grading == "2CP"
    assert first.person is not None and first.person.family_name == "Testkeeper"
    assert first.source == "Police intelligence extract"
    # A child seen with a man at a hotel: two associations, both about the child.
    at_hotel = Association.objects.get(reference="I90000002")
    assert at_hotel.location == Location.objects.get(reference="L90H00")
    assert at_hotel.other_person is None
    with_man = Association.objects.get(reference="I90000002/2")
    assert with_man.kind == "seen_with" and with_man.other_person is not None
    # A vehicle beside a location is linked to the location.
    car_there = Association.objects.get(reference="I90000004/2")
    assert car_there.person is None and car_there.location is not None
    assert car_there.vehicle == car
    # Only the adult subject is a person of interest.
    pois = PersonOfInterest.objects.all()
    assert [(p.person.family_name, p.police_reference) for p in pois] == [
        ("Testkeeper", "PN900000001")
    ]
    # Again: nothing changes.
    again = run("police_intelligence", str(tmp_path / "intelligence.csv"))
    assert "0 new, 0 changed, 5 unchanged" in again
    assert PersonOfInterest.objects.count() == 1


def test_a_corrected_row_drops_the_end_it_no_longer_names(tmp_path: Path) -> None:
    load_basics(tmp_path)
    run("police_intelligence", write(tmp_path, "i1.csv", INTEL[:3]))
    assert Association.objects.filter(reference="I90000002/2").exists()
    corrected = INTEL[2].replace("PN900000001,L90H00", ",L90H00")
    out = run("police_intelligence", write(tmp_path, "i2.csv", [INTEL_HEADER, corrected]))
    assert "0 new, 1 changed" in out
    assert not Association.objects.filter(reference="I90000002/2").exists()


def test_graded_intelligence_keeps_its_grading(tmp_path: Path) -> None:
    load_basics(tmp_path)
    header = INTEL_HEADER + ",source_evaluation,intelligence_assessment,handling_code,source"
    rows = [
        header,
        INTEL[1] + ",1,A,C,Covert source",
        INTEL[2].replace("I90000002", "I90000009") + ",,,,",
    ]
    run("police_intelligence_graded", write(tmp_path, "graded.csv", rows))
    graded = Association.objects.get(reference="I90000001")
    assert (graded.grading, graded.source) == ("1AC", "Covert source")
    assert Association.objects.get(reference="I90000009").grading == "2CP"


def test_bad_rows_are_rejected_with_reasons_and_nothing_is_imported(tmp_path: Path) -> None:
    load_basics(tmp_path)
    bad = [
        INTEL_HEADER,
        INTEL[1],
        "I90000101,01/03/2026,PN900000099,,L90H00,,seen_at_location",  # unknown person
        "I90000102,01/03/2026,PN900000001,,L99X99,,seen_at_location",  # unknown location
        "I90000103,01/03/2026,PN900000001,,,ZZ99 ZZZ,seen_entering_vehicle",  # unknown vrm
        "I90000104,01/03/2026,PN900000001,,,,associate",  # one end only
        "I90000105,31/02/2026,PN900000001,PN900000002,,,associate",  # not a date
        "I90000106,01/03/2026,PN900000001,PN900000002,,,stalking",  # unknown category
        "I90000107,01/03/2099,PN900000001,PN900000002,,,associate",  # future
        "I90000108,01/03/2026,,PN900000002,L90H00,,seen_with",  # other without subject
    ]
    rejected = tmp_path / "rejected.csv"
    with pytest.raises(CommandError):
        run(
            "police_intelligence", write(tmp_path, "bad.csv", bad), "--rejected-file", str(rejected)
        )
    assert not Association.objects.exists()
    text = rejected.read_text()
    for reason in (
        "subject_police_id is not a police person Safehub knows",
        "location_id is not a police location Safehub knows",
        "vrm is not a police vehicle Safehub knows",
        "names fewer than two of person, location and vehicle",
        "recorded_on is in the future",
        "other_police_id is given without subject_police_id",
    ):
        assert reason in text
    latest = ImportRun.objects.filter(source="police_intelligence").latest("started_at")
    assert latest.rejected == 8
    assert "PN900000099" not in " ".join(r["reason"] for r in latest.rejections)


def test_vehicles_and_locations_reject_unknown_keepers_and_bad_grid_references(
    tmp_path: Path,
) -> None:
    run("police_persons", write(tmp_path, "persons.csv", PERSONS))
    rejected = tmp_path / "rejected.csv"
    vehicles = [VEHICLES[0], "CD34 EFG,Ford Ka,red,PN900000077"]
    with pytest.raises(CommandError):
        run("police_vehicles", write(tmp_path, "v.csv", vehicles), "--rejected-file", str(rejected))
    assert "keeper_police_id is not a police person Safehub knows" in rejected.read_text()
    locations = [
        LOCATIONS[0],
        "L90X01,hotel,Far Away,1 Road,SH1 1AA,9999999,275000",
        "L90X02,hotel,Half,1 Road,SH1 1AA,431000,",
        "L90X03,spaceport,Odd,1 Road,SH1 1AA,431000,275000",
    ]
    with pytest.raises(CommandError):
        run(
            "police_locations",
            write(tmp_path, "l.csv", locations),
            "--rejected-file",
            str(rejected),
        )
    text = rejected.read_text()
    assert "easting is outside the National Grid" in text
    assert "northing needs both easting and northing" in text
    assert not Vehicle.objects.exists() and not Location.objects.exists()


def test_a_taxi_links_to_the_licensing_register_whichever_arrives_first(tmp_path: Path) -> None:
    licensed = LicensedVehicle.objects.create(plate_number="PH900001", vrm="AB12 CDE")
    load_basics(tmp_path)
    assert Vehicle.objects.get(vrm="AB12CDE").licensed_vehicle == licensed
    assert Vehicle.objects.get(vrm="XJ68VSX").licensed_vehicle is None
    later = LicensedVehicle.objects.create(plate_number="HC900002", vrm="XJ68VSX")
    assert Vehicle.objects.get(vrm="XJ68VSX").licensed_vehicle == later


@given(st.text(alphabet="abcXYZ019 \t", max_size=12))
def test_normalised_vrms_are_capitals_without_spaces(raw: str) -> None:
    vrm = normalise_vrm(raw)
    assert vrm == vrm.upper() and " " not in vrm and "\t" not in vrm
    assert normalise_vrm(vrm) == vrm
    assert len(vrm) == len([c for c in raw if not c.isspace()])


ids = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@given(
    st.sampled_from(["associate", "seen_with", "seen_at_location", "seen_entering_vehicle"]),
    ids,
    ids,
    ids,
    ids,
)
def test_every_association_made_links_exactly_two_ends(
    kind: str, s: int | None, o: int | None, loc: int | None, veh: int | None
) -> None:
    made = pairs(kind, Ends(s, o, loc, veh))
    for fields in made:
        ends = [fields[n] for n in ("person", "other_person", "location", "vehicle")]
        assert sum(e is not None for e in ends) == 2
        assert fields["other_person"] is None or fields["person"] is not None
    named = sum(e is not None for e in (s, o, loc, veh))
    if made:
        assert made[0]["kind"] == kind
        assert len(made) == named - 1
    # Every end named appears in some association, unless nothing could be linked.
    if made:
        seen = {(n, f[n]) for f in made for n in ("person", "other_person", "location", "vehicle")}
        for name, value in (
            ("person", s),
            ("other_person", o),
            ("location", loc),
            ("vehicle", veh),
        ):
            assert value is None or (name, value) in seen


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)), st.dates())
def test_adulthood_is_the_eighteenth_birthday(born: date, on: date) -> None:
    try:
        birthday = born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February
        birthday = date(born.year + 18, 3, 1)
    assert is_adult_on(born, on) == (on >= birthday)
    assert not is_adult_on(None, on)


def test_the_city_police_extract_imports_without_rejections(tmp_path: Path) -> None:
    from safehub.demo.city.build import build_city
    from safehub.demo.city.spec import make_spec
    from safehub.imports import services
    from safehub.imports.registry import get_source
    from safehub.policy.roles import Role
    from tests.factories import make_user

    build_city(make_spec("small", 2015), tmp_path / "city", workers=1)
    extracts = tmp_path / "city" / "extracts"
    for source, file in (
        ("police_persons", "police/persons.csv"),
        ("licensing_drivers", "licensing/drivers.csv"),
        ("licensing_vehicles", "licensing/vehicles.csv"),
        ("police_locations", "police/locations.csv"),
        ("police_vehicles", "police/vehicles.csv"),
        ("police_intelligence", "police/intelligence.csv"),
    ):
        path = extracts / file
        started = services.start_run(
            user=make_user(Role.SYSTEM_ADMIN),
            source=get_source(source),
            path=path,
            file_name=path.name,
            channel="cli",
            skip_rejected=True,
        )
        done = services.apply_run(started, path=path)
        assert done.status == ImportRun.Status.IMPORTED, source
        assert source.startswith("licensing") or done.rejected == 0, source
    assert Location.objects.filter(kind="hotel").exists()
    assert Vehicle.objects.filter(licensed_vehicle__isnull=False).exists()
    assert PersonOfInterest.objects.exists()
    assert Association.objects.filter(reference__contains="/").exists()


@given(
    st.one_of(st.none(), st.integers(min_value=-10, max_value=2_000_000)),
    st.one_of(st.none(), st.integers(min_value=-10, max_value=2_000_000)),
)
def test_a_grid_reference_is_accepted_only_whole_and_on_the_national_grid(
    easting: int | None, northing: int | None
) -> None:
    from safehub.imports.registry import ParsedRow
    from safehub.intelligence.importer import LocationWriter

    row = ParsedRow(2, "L1", {"easting": easting, "northing": northing}, "h")
    problems = LocationWriter().problems([row])
    on_grid = (easting is None and northing is None) or (
        easting is not None
        and northing is not None
        and 0 <= easting <= 700_000
        and 0 <= northing <= 1_300_000
    )
    assert (2 not in problems) == on_grid
