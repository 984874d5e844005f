"""Linkage actions: record identities from a source, run linkage, and the data officer's
decisions (confirm, reject, merge, split). Each writes in one transaction."""

from __future__ import annotations

import csv
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.linkage import clustering, config, engine, features
from safehub.linkage.choices import (
    Engine,
    LinkBasis,
    ReviewStatus,
    RunMode,
    RunStatus,
)
from safehub.linkage.models import (
    ClusterMembership,
    IdentityRecord,
    LinkageModel,
    LinkageRun,
    LinkDecision,
    PersonCluster,
    ReviewPair,
)
from safehub.refusals import Refused

logger = logging.getLogger(__name__)

IDENTITY_COLUMNS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "previous_postcodes",
    "nhs_number",
    "upn",
    "school_urn",
)
STORED_FIELDS = (*IDENTITY_COLUMNS, "problems")
BATCH = 2000

# The city's people extracts: source -> (file under extracts/, id column).
EXTRACTS = {
    "social_care": ("social_care/children.csv", "sc_id"),
    "police": ("police/persons.csv", "police_id"),
    "education": ("education/pupils.csv", "pupil_id"),
    "health": ("health/patients.csv", "patient_id"),
}


# The import source that brings in each linkage source's records (they share source keys):
# an imported record's person is the Safehub person its identity record stands for.
IMPORT_SOURCES = {
    "social_care": "social_care_children",
    "police": "police_persons",
    "education": "school_census",
}


def attach_imported_people() -> int:
    """Point each identity record at the Safehub person its import created or matched, so a
    person's page can list the agencies' records linked to them. Returns how many changed."""
    from safehub.imports.models import SourceRecord

    changed = []
    for linkage_source, import_source in IMPORT_SOURCES.items():
        people = dict(
            SourceRecord.objects.filter(source=import_source, person__isnull=False).values_list(
                "source_key", "person_id"
            )
        )
        if not people:
            continue
        for record in IdentityRecord.objects.filter(source=linkage_source).only(
            "pk", "source_key", "person_id"
        ):
            person_id = people.get(record.source_key)
            if person_id is not None and record.person_id != person_id:
                record.person_id = person_id
                changed.append(record)
    IdentityRecord.objects.bulk_update(changed, ["person"], batch_size=1000)
    return len(changed)


def record_identities(
    source: str,
    rows: Iterable[dict[str, Any]],
    *,
    import_run: Any = None,
) -> dict[str, int]:
    """Store or update one source's records of people: {"created", "updated", "unchanged"}.

    Each row needs `source_key`; identity fields are optional (see IDENTITY_COLUMNS), plus
    `person_id` (the people.Person the importer matched, if any) and `source_row`. Bad
    values (an NHS number failing its check, an unreadable date) are flagged on the record,
    never refused. Refuses (ValueError) a row without a source key, before writing anything.
    """
    if not source or len(source) > 60:
        raise ValueError("A source name of 1 to 60 characters is needed")
    today = timezone.localdate()
    prepared: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = str(row.get("source_key") or "").strip()
        if not key:
            raise ValueError("Every identity row needs a source_key")
        clean = features.clean_identity(row, today=today)
        values: dict[str, Any] = {f: getattr(clean, f) for f in STORED_FIELDS}
        if "person_id" in row:
            values["person_id"] = row["person_id"]
        if row.get("source_row") is not None:
            values["source_row"] = row["source_row"]
        if import_run is not None:
            values["import_run"] = import_run
        prepared[key[:200]] = values
    counts = Counter({"created": 0, "updated": 0, "unchanged": 0})
    keys = list(prepared)
    with transaction.atomic():
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            existing = {
                r.source_key: r
                for r in IdentityRecord.objects.filter(source=source, source_key__in=chunk)
            }
            new, changed = [], []
            for key in chunk:
                values = prepared[key]
                record = existing.get(key)
                if record is None:
                    new.append(IdentityRecord(source=source, source_key=key, **values))
                    continue
                differs = [f for f, v in values.items() if getattr(record, f) != v]
                if differs:
                    for f in differs:
                        setattr(record, f, values[f])
                    record.updated_at = timezone.now()
                    changed.append(record)
                else:
                    counts["unchanged"] += 1
            IdentityRecord.objects.bulk_create(new, batch_size=BATCH)
            if changed:
                fields = sorted(
                    {*STORED_FIELDS, "updated_at"}
                    | ({"person_id"} if any("person_id" in prepared[k] for k in chunk) else set())
                    | ({"import_run", "source_row"} if import_run is not None else set())
                )
                IdentityRecord.objects.bulk_update(changed, fields, batch_size=BATCH)
            counts["created"] += len(new)
            counts["updated"] += len(changed)
    return dict(counts)


def load_identities_from_extracts(out_dir: str | Path) -> dict[str, dict[str, int]]:
    """Record the people in the synthetic city's extracts (social care children, police
    persons, education pupils, health patients) as identity records."""
    base = Path(out_dir) / "extracts"
    result = {}
    for source, (relative, id_column) in EXTRACTS.items():
        path = base / relative
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [
                {**row, "source_key": row[id_column], "source_row": number}
                for number, row in enumerate(csv.DictReader(handle), start=2)
            ]
        result[source] = record_identities(source, rows)
    return result


RECORD_VALUES = ("id", "source", *IDENTITY_COLUMNS)


def start_run(*, engine_name: str, user: Any = None, channel: str = "cli", mode: str) -> LinkageRun:
    """A run row in status "running", for a worker (`safehub link --run`) to pick up."""
    if engine_name not in engine.ENGINES:
        raise Refused(f"Unknown engine {engine_name}: use duckdb or spark")
    if mode not in RunMode.values:
        raise Refused(f"Unknown mode {mode}")
    give_up_stale_runs()
    if LinkageRun.objects.filter(status=RunStatus.RUNNING).exists():
        raise Refused("A linkage run is already in progress: wait for it to finish.")
    return LinkageRun.objects.create(
        engine=engine_name, mode=mode, started_by=user, channel=channel
    )


def give_up_stale_runs() -> int:
    """Mark failed the runs still "running" after SAFEHUB_LINKAGE_STALE_SECONDS (default four
    hours): their process died (its transaction with it), so the previous clusters stand."""
    cutoff = timezone.now() - timedelta(seconds=config.stale_after_seconds())
    return LinkageRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        error="The run stopped without finishing; the previous clusters are kept.",
    )


def run_linkage(
    engine_name: str = Engine.DUCKDB,
    *,
    user: Any = None,
    channel: str = "cli",
    incremental: bool = False,
    retrain: bool = False,
    run: LinkageRun | None = None,
    spark: Any = None,
) -> LinkageRun:
    """Link all identity records into clusters (or, `incremental`, only the records not yet
    in a cluster against the existing clusters).

    The new clusters replace the old in one transaction at the end: a run that fails or is
    killed part-way leaves the previous clusters in place, and is marked failed. Decisions
    made by data officers are obeyed. Uses the newest stored model unless `retrain` (or none
    exists): then trains one on all records and stores it.
    """
    if run is None:
        run = start_run(
            engine_name=engine_name,
            user=user,
            channel=channel,
            mode=RunMode.INCREMENTAL if incremental else RunMode.FULL,
        )
    started = time.monotonic()
    try:
        attach_imported_people()
        _do_run(run, retrain=retrain, spark=spark)
    except Exception as error:
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            seconds=time.monotonic() - started,
            # The exception's type only: its message may quote record values.
            error=f"The run stopped ({type(error).__name__}); the previous clusters are kept.",
        )
        run.refresh_from_db()
        raise
    LinkageRun.objects.filter(pk=run.pk).update(seconds=time.monotonic() - started)
    run.refresh_from_db()
    return run


def _do_run(run: LinkageRun, *, retrain: bool, spark: Any) -> None:
    all_records = list(IdentityRecord.objects.order_by("id").values(*RECORD_VALUES))
    previous = dict(ClusterMembership.objects.values_list("record_id", "cluster_id"))
    incremental = run.mode == RunMode.INCREMENTAL and bool(previous)
    new_ids = {r["id"] for r in all_records if r["id"] not in previous}
    if run.mode == RunMode.INCREMENTAL and not previous:
        LinkageRun.objects.filter(pk=run.pk).update(mode=RunMode.FULL)
    if incremental and not new_ids:
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now(),
            records=len(all_records),
            clusters=len(set(previous.values())),
        )
        return
    if len(all_records) < 2:
        groups = [{r["id"]} for r in all_records]
        _finish(run, all_records, previous, [], clustering.Clustering(groups, {}, set(), 0), False)
        return
    link = config.link_threshold()
    with _engine(run.engine, spark) as eng:
        model_row = None if retrain else LinkageModel.objects.first()
        if model_row is None:
            table = eng.register_records(all_records)
            model_row = LinkageModel.objects.create(
                engine=run.engine, records_trained_on=len(all_records), model_json=eng.train(table)
            )
        else:
            table = None
        LinkageRun.objects.filter(pk=run.pk).update(model=model_row)
        model = model_row.model_json
        if incremental:
            existing = eng.register_records([r for r in all_records if r["id"] not in new_ids])
            new = eng.register_records([r for r in all_records if r["id"] in new_ids])
            pairs = eng.predict_new(
                existing, new, model, threshold=config.review_threshold(), evidence_below=link
            )
        else:
            if table is None:
                table = eng.register_records(all_records)
            pairs = eng.predict(
                table, model, threshold=config.review_threshold(), evidence_below=link
            )
    same, different = _decided_pairs()
    links = [(p.id_l, p.id_r, p.match_probability) for p in pairs if p.match_probability >= link]
    # Incremental: the existing clusters stay together; new records join them.
    start = _groups_of(previous) if incremental else []
    ids = [r["id"] for r in all_records]
    result = clustering.cluster(ids, links, same=same, different=different, start=start)
    _finish(run, all_records, previous, pairs, result, incremental, model=model)


@contextmanager
def _engine(name: str, spark: Any) -> Iterator[engine.LinkageEngine]:
    """The engine for a run; for Spark without a session, a local one for the run."""
    if name == Engine.SPARK and spark is None:
        with engine.spark_session() as session:
            eng = engine.LinkageEngine(name, spark=session)
            try:
                yield eng
            finally:
                eng.close()
        return
    eng = engine.LinkageEngine(name, spark=spark)
    try:
        yield eng
    finally:
        eng.close()


def _groups_of(membership: dict[int, int]) -> list[set[int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for record, cluster_id in membership.items():
        groups[cluster_id].add(record)
    return list(groups.values())


def _decided_pairs() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    same: list[tuple[int, int]] = []
    different: list[tuple[int, int]] = []
    for a, b, is_same in LinkDecision.objects.values_list("record_a", "record_b", "same_person"):
        (same if is_same else different).append((a, b))
    return same, different


def evidence_for(pair: engine.ScoredPair, model: dict[str, Any]) -> list[dict[str, Any]]:
    """Per comparison: what was found, and how much it counts for (+) or against (-)."""
    labels = engine.level_labels(model)
    evidence = []
    for name, (gamma, weight) in pair.levels.items():
        description, level = labels.get(name, {}).get(gamma, (name, str(gamma)))
        evidence.append({"comparison": description, "level": level, "weight": round(weight, 2)})
    return evidence


def _finish(
    run: LinkageRun,
    records: list[dict[str, Any]],
    previous: dict[int, int],
    pairs: list[engine.ScoredPair],
    result: clustering.Clustering,
    incremental: bool,
    *,
    model: dict[str, Any] | None = None,
) -> None:
    """Write the run's clusters and review queue in one transaction (the swap)."""
    labels, emptied = clustering.stable_labels(result.groups, previous)
    link = config.link_threshold()
    review = [p for p in pairs if config.review_threshold() <= p.match_probability < link]
    decided = set(LinkDecision.objects.values_list("record_a", "record_b"))
    persons = dict(IdentityRecord.objects.filter(person__isnull=False).values_list("id", "person"))
    with transaction.atomic():
        new_labels = sorted({label for label in labels.values() if label < 0}, reverse=True)
        created = PersonCluster.objects.bulk_create([PersonCluster() for _ in new_labels])
        if any(c.pk is None for c in created):  # databases that do not return ids
            created = list(PersonCluster.objects.order_by("-id")[: len(new_labels)])[::-1]
        cluster_of_label = {label: c.pk for label, c in zip(new_labels, created, strict=True)}
        final = {r: cluster_of_label.get(label, label) for r, label in labels.items()}
        existing = {m.record_id: m for m in ClusterMembership.objects.all()}
        to_create, to_update = [], []
        for record_id, cluster_id in final.items():
            strength = result.strength.get(record_id)
            basis: str = (
                LinkBasis.DECIDED
                if record_id in result.decided
                else LinkBasis.AUTOMATIC
                if strength is not None
                else LinkBasis.ALONE
            )
            membership = existing.get(record_id)
            if membership is None:
                to_create.append(
                    ClusterMembership(
                        record_id=record_id,
                        cluster_id=cluster_id,
                        match_probability=strength,
                        basis=basis,
                        run=run,
                    )
                )
                continue
            if incremental and record_id not in result.strength:
                # An existing record no new link touched keeps its strength and basis.
                strength, basis = membership.match_probability, membership.basis
            if (membership.cluster_id, membership.match_probability, membership.basis) != (
                cluster_id,
                strength,
                basis,
            ):
                membership.cluster_id = cluster_id
                membership.match_probability = strength
                membership.basis = basis
                membership.run = run
                to_update.append(membership)
        ClusterMembership.objects.bulk_create(to_create, batch_size=BATCH)
        ClusterMembership.objects.bulk_update(
            to_update, ["cluster_id", "match_probability", "basis", "run"], batch_size=BATCH
        )
        if emptied:
            PersonCluster.objects.filter(pk__in=emptied, members__isnull=True).delete()
        _attach_people(final, persons)
        queued = _queue_for_review(run, review, final, decided, model, incremental)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now(),
            records=len(records),
            scored_pairs=len(pairs),
            links=sum(1 for p in pairs if p.match_probability >= link),
            review_pairs=queued,
            clusters=len(set(final.values())),
        )


def _attach_people(final: dict[int, int], persons: dict[int, int]) -> None:
    """Point each cluster at the Safehub person most of its records were imported to."""
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    for record_id, person_id in persons.items():
        if record_id in final:
            votes[final[record_id]][person_id] += 1
    current = dict(PersonCluster.objects.filter(person__isnull=False).values_list("id", "person"))
    wanted = {c: min(v.items(), key=lambda x: (-x[1], x[0]))[0] for c, v in votes.items()}
    for cluster_id in set(current) - set(wanted):
        PersonCluster.objects.filter(pk=cluster_id).update(person=None)
    for cluster_id, person_id in wanted.items():
        if current.get(cluster_id) != person_id:
            PersonCluster.objects.filter(pk=cluster_id).update(person_id=person_id)


def _queue_for_review(
    run: LinkageRun,
    review: list[engine.ScoredPair],
    final: dict[int, int],
    decided: set[tuple[int, int]],
    model: dict[str, Any] | None,
    incremental: bool,
) -> int:
    """Queue doubtful pairs that ended in different clusters; decided pairs stay decided."""
    wanted = {
        (p.id_l, p.id_r): p
        for p in review
        if (p.id_l, p.id_r) not in decided and final.get(p.id_l) != final.get(p.id_r)
    }
    existing = {(r.record_a_id, r.record_b_id): r for r in ReviewPair.objects.all()}
    to_create, to_update = [], []
    for key, pair in wanted.items():
        evidence = evidence_for(pair, model) if model else []
        row = existing.get(key)
        if row is None:
            to_create.append(
                ReviewPair(
                    record_a_id=key[0],
                    record_b_id=key[1],
                    match_probability=pair.match_probability,
                    match_weight=pair.match_weight,
                    evidence=evidence,
                    run=run,
                )
            )
        elif row.status in (ReviewStatus.PENDING, ReviewStatus.WITHDRAWN):
            row.status = ReviewStatus.PENDING
            row.match_probability, row.match_weight = pair.match_probability, pair.match_weight
            row.evidence, row.run = evidence, run
            to_update.append(row)
    if not incremental:
        for key, row in existing.items():
            if key not in wanted and row.status == ReviewStatus.PENDING:
                row.status = ReviewStatus.WITHDRAWN
                row.run = run
                to_update.append(row)
    ReviewPair.objects.bulk_create(to_create, batch_size=BATCH)
    ReviewPair.objects.bulk_update(
        to_update,
        ["status", "match_probability", "match_weight", "evidence", "run"],
        batch_size=BATCH,
    )
    return len(wanted)
