"""Test data for record linkage. Synthetic names only."""

from __future__ import annotations

import itertools
from typing import Any

from safehub.linkage.choices import LinkBasis
from safehub.linkage.models import (
    ClusterMembership,
    IdentityRecord,
    LinkageRun,
    PersonCluster,
    ReviewPair,
)
from safehub.linkage.services import record_identities
from safehub.people.models import Person

LINKAGE_KINDS = frozenset({"review_pair", "person_cluster"})
_seq = itertools.count(1)


def identity(source: str = "health", **values: Any) -> IdentityRecord:
    """One identity record (a synthetic child), stored through the service."""
    n = next(_seq)
    row = {
        "source_key": f"T{n:07d}",
        "given_name": "Zelda",
        "family_name": f"Quorington{n}",
        "date_of_birth": "2012-03-07",
        "sex": "F",
        "postcode": "SH1 1AA",
        **values,
    }
    record_identities(source, [row])
    return IdentityRecord.objects.get(source=source, source_key=row["source_key"])


def clustered(*records: IdentityRecord) -> PersonCluster:
    """Put records in one cluster, as a run would."""
    run = LinkageRun.objects.first() or LinkageRun.objects.create(
        engine="duckdb", status="succeeded"
    )
    cluster = PersonCluster.objects.create()
    for record in records:
        ClusterMembership.objects.update_or_create(
            record=record,
            defaults={
                "cluster": cluster,
                "match_probability": 0.99 if len(records) > 1 else None,
                "basis": LinkBasis.AUTOMATIC if len(records) > 1 else LinkBasis.ALONE,
                "run": run,
            },
        )
    return cluster


def queued_pair(a: IdentityRecord, b: IdentityRecord, probability: float = 0.7) -> ReviewPair:
    run = LinkageRun.objects.first() or LinkageRun.objects.create(
        engine="duckdb", status="succeeded"
    )
    first, second = sorted((a, b), key=lambda r: r.pk)
    return ReviewPair.objects.create(
        record_a=first,
        record_b=second,
        match_probability=probability,
        match_weight=1.2,
        evidence=[
            {"comparison": "Date of birth", "level": "Exact match", "weight": 6.1},
            {"comparison": "Family name", "level": "Different", "weight": -4.3},
        ],
        run=run,
    )


def linkage_target(kind: str, *, restricted: bool = False) -> dict[str, Any]:
    """URL kwargs for the authorisation matrix."""
    person = None
    if restricted:
        person = Person.objects.create(
            given_name="Zelda", family_name="Restricted", is_restricted=True
        )
    a = identity("health", person_id=person.pk if person else None)
    b = identity("police", person_id=person.pk if person else None)
    clustered(a)
    cluster_b = clustered(b)
    if kind == "review_pair":
        return {"public_id": queued_pair(a, b).public_id}
    return {"public_id": cluster_b.public_id}


GIVEN = ["Catherine", "William", "Rebecca", "Thomas", "Jessica", "Samuel", "Olivia", "Daniel"]
FAMILY = ["Ashdown", "Brierley", "Calloway", "Dunmore", "Elsworth", "Fairbairn", "Gadsby"]
SHORT = {"Catherine": "Kate", "William": "Will", "Rebecca": "Becky", "Thomas": "Tom"}


def nhs_number(n: int) -> str:
    """A valid synthetic NHS number (modulus 11) built from a serial."""
    from safehub.people.validators import nhs_check_digit

    serial = 900000000 + n * 7
    while True:
        digits = f"{serial:09d}"
        check = nhs_check_digit(digits)
        if check is not None:
            return f"{digits}{check}"
        serial += 1


def synthetic_city(people: int = 24) -> dict[str, list[dict[str, Any]]]:
    """Rows per source for `people` synthetic children, with the errors agencies make
    (nicknames, a typo, day and month swapped, a missing NHS number), and who is who:
    returns {source: rows}; each row's `truth` says which child it is."""
    rows: dict[str, list[dict[str, Any]]] = {"health": [], "education": [], "police": []}
    for i in range(people):
        given = GIVEN[i % len(GIVEN)]
        family = f"{FAMILY[i % len(FAMILY)]}{'e' * (i // len(FAMILY))}"
        day, month = 1 + i % 12, 1 + (i * 5) % 12
        if day == month:
            day += 13
        born = f"{2010 + i % 6}-{month:02d}-{day:02d}"
        postcode = f"SH{1 + i % 5} {i % 9}A{'BDEFGHJ'[i % 7]}"
        nhs = nhs_number(i)
        base = {"truth": i, "sex": "F" if i % 2 else "M", "postcode": postcode}
        rows["health"].append(
            {
                **base,
                "source_key": f"HP{i:05d}",
                "given_name": given,
                "family_name": family,
                "date_of_birth": born,
                "nhs_number": nhs,
            }
        )
        edu_given = SHORT.get(given, given) if i % 3 == 0 else given
        edu_family = family[:-1] + family[-1] * 2 if i % 5 == 0 else family
        rows["education"].append(
            {
                **base,
                "source_key": f"ED{i:05d}",
                "given_name": edu_given,
                "family_name": edu_family,
                "date_of_birth": born,
                "school_urn": "900001",
            }
        )
        if i % 2 == 0:
            swapped = f"{born[:4]}-{born[8:10]}-{born[5:7]}" if i % 4 == 0 else born
            rows["police"].append(
                {
                    **base,
                    "source_key": f"PN{i:05d}",
                    "given_name": given,
                    "family_name": family,
                    "date_of_birth": swapped,
                    "nhs_number": nhs if i % 8 else "",
                }
            )
    return rows
