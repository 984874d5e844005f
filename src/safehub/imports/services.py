"""Import runs: start one, check it (dry run), apply it, abandon it, notice a dead one.

The same functions serve the web pages, the `safehub import` command and the city loader.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from safehub.imports import engine, progress
from safehub.imports.models import ImportRun
from safehub.imports.parsing import FileProblem, file_format
from safehub.imports.registry import Source, get_source
from safehub.refusals import Refused

log = logging.getLogger(__name__)
Status = ImportRun.Status


@dataclass(frozen=True)
class Upload:
    name: str
    handle: BinaryIO


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_upload(upload: Upload) -> Path:
    """Keep an uploaded file under the imports directory, readable by Safehub only (0600)."""
    suffix = Path(upload.name).suffix.lower()
    file_format(upload.name)  # refuses anything but .csv and .xlsx
    path = progress.imports_dir() / f"upload-{uuid.uuid4().hex}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(upload.handle, out)
    return path


def start_run(
    *,
    user: Any,
    source: Source,
    path: Path,
    file_name: str,
    channel: str,
    stored: bool = False,
    skip_rejected: bool = False,
) -> ImportRun:
    """Create the run for a file (status "checking"). Refuses a source needing a user without one.

    `stored` says the file is Safehub's own copy (an upload), to delete when the run ends.
    """
    file_format(file_name)
    if source.needs_user and user is None:
        raise Refused(
            f"{source.name} records who imported each row: name a user (--user USERNAME)."
        )
    return ImportRun.objects.create(
        source=source.name,
        source_version=source.version,
        file_name=Path(file_name).name[:255],
        file_sha256=_sha256(path),
        started_by=user,
        channel=channel,
        stored_file=str(path) if stored else "",
        skip_rejected=skip_rejected,
        runner_host=socket.gethostname(),
    )


def _claim(run: ImportRun, status: str) -> None:
    """Mark the run as being worked on by this process (committed before the work starts)."""
    run.status = status
    run.runner_pid = os.getpid()
    run.runner_host = socket.gethostname()
    run.heartbeat_at = timezone.now()
    run.error = ""
    run.save(update_fields=["status", "runner_pid", "runner_host", "heartbeat_at", "error"])


def _file_of(run: ImportRun, path: Path | None) -> Path:
    found = path or (Path(run.stored_file) if run.stored_file else None)
    if found is None or not found.exists():
        raise Refused("The file of this import is no longer kept: upload it again.")
    return found


def _fail(run: ImportRun, message: str) -> None:
    run.status = Status.FAILED
    run.error = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


def check_run(
    run: ImportRun,
    *,
    path: Path | None = None,
    rejected_path: Path | None = None,
    on_progress: engine.ProgressCallback | None = None,
) -> ImportRun:
    """The dry run: count new, changed, unchanged and rejected rows; write nothing.

    Writes the rejected rows (with a reason column) to `rejected_path`, or for an upload to a
    file kept beside it. A file that is not this source's fails the run with the reason.
    """
    source = get_source(run.source, run.source_version)
    file = _file_of(run, path)
    if rejected_path is None and run.stored_file:
        rejected_path = Path(run.stored_file).with_suffix(".rejected.csv")
        run.rejected_file = str(rejected_path)
        run.save(update_fields=["rejected_file"])
    _claim(run, Status.CHECKING)
    try:
        tally = engine.run_file(
            run,
            source,
            file,
            file_format(run.file_name),
            apply=False,
            rejected_path=rejected_path,
            on_progress=on_progress,
        )
    except FileProblem as exc:
        _fail(run, str(exc))
        return run
    except DatabaseError as exc:
        log.error("import %s: check stopped (%s)", run.public_id, type(exc).__name__)
        _fail(run, "The check stopped: the database could not be read. Try again.")
        return run
    finally:
        progress.remove_progress(run.public_id)
    engine.finish_check(run, tally)
    return run


def apply_run(
    run: ImportRun,
    *,
    path: Path | None = None,
    rejected_path: Path | None = None,
    on_progress: engine.ProgressCallback | None = None,
) -> ImportRun:
    """Import the file in one transaction: all of it (or all its good rows) or nothing.

    With rejected rows and no `run.skip_rejected`, nothing is imported and the run says why.
    A database failure or a file problem fails the run and leaves nothing of it behind; a
    killed process leaves the run "importing" until `notice_dead_runner` marks it failed.
    An uploaded file is deleted once the import succeeded.
    """
    source = get_source(run.source, run.source_version)
    file = _file_of(run, path)
    if rejected_path is None and run.rejected_file:
        rejected_path = Path(run.rejected_file)
    _claim(run, Status.IMPORTING)
    try:
        engine.run_file(
            run,
            source,
            file,
            file_format(run.file_name),
            apply=True,
            rejected_path=rejected_path,
            on_progress=on_progress,
        )
    except engine.RejectedRowsRefused as refused:
        run.refresh_from_db()
        engine.refuse_rejected(run, refused.tally)
        return run
    except FileProblem as exc:
        run.refresh_from_db()
        _fail(run, str(exc))
        return run
    except DatabaseError as exc:
        # The message may quote row values, so only its kind is logged and shown.
        log.error("import %s: rolled back (%s)", run.public_id, type(exc).__name__)
        _fail_after_db_error(run, type(exc).__name__)
        return run
    finally:
        progress.remove_progress(run.public_id)
    discard_files(run)
    return run


def _fail_after_db_error(run: ImportRun, kind: str) -> None:
    message = f"The import stopped ({kind}); nothing of it was saved. You can run it again."
    try:
        _fail(run, message)
    except DatabaseError:
        log.error("import %s: could not record the failure; the history will", run.public_id)


def discard_files(run: ImportRun) -> None:
    """Delete the kept upload and rejected-rows file (they hold personal data)."""
    for name in (run.stored_file, run.rejected_file):
        if name:
            Path(name).unlink(missing_ok=True)
    if run.stored_file or run.rejected_file:
        run.stored_file = run.rejected_file = ""
        run.save(update_fields=["stored_file", "rejected_file"])


@transaction.atomic
def abandon_run(run: ImportRun) -> ImportRun:
    """Give up a checked run: nothing is imported and its files are deleted.

    Refuses a run that is running or already finished.
    """
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status not in (Status.CHECKED, Status.FAILED):
        raise Refused("Only a checked or failed import can be abandoned.")
    run.status = Status.CANCELLED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    discard_files(run)
    return run


def request_apply(run: ImportRun, *, skip_rejected: bool) -> ImportRun:
    """The user chose to import a checked file (its good rows only, when `skip_rejected`).

    Refuses a run that is not checked, and one with rejected rows unless told to skip them.
    The work runs outside the request (see `dispatch`).
    """
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != Status.CHECKED:
            raise Refused("This import has been started already or was not checked.")
        if run.rejected and not skip_rejected:
            raise Refused("Some rows were rejected: choose to import only the good rows.")
        run.skip_rejected = skip_rejected
        run.status = Status.IMPORTING
        run.runner_pid = None
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["skip_rejected", "status", "runner_pid", "heartbeat_at"])
    dispatch(run)
    return run


def dispatch(run: ImportRun) -> None:
    """Do the run's pending work (check or import) outside the web request.

    `SAFEHUB_IMPORTS_INLINE = True` (tests) does it in this process instead. Otherwise a
    detached `safehub import --run <id>` process does it and the page follows its progress.
    """
    if getattr(settings, "SAFEHUB_IMPORTS_INLINE", False):
        run_pending(run)
        return
    command = [
        str(Path(sys.executable).parent / "safehub"),
        "import",
        "--run",
        str(run.public_id),
    ]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE)
    child = subprocess.Popen(  # noqa: S603 - our own command, no shell, no user input
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    # Reap it when it ends, so it does not linger as a zombie of the web server.
    threading.Thread(target=child.wait, daemon=True).start()


def run_pending(run: ImportRun, on_progress: engine.ProgressCallback | None = None) -> ImportRun:
    """Do what a web run waits for: its check (status "checking") or its import."""
    run.refresh_from_db()
    if run.status == Status.CHECKING:
        return check_run(run, on_progress=on_progress)
    if run.status == Status.IMPORTING:
        return apply_run(run, on_progress=on_progress)
    raise Refused(f"Nothing to do for an import that is {run.get_status_display()}.")


def notice_dead_runner(run: ImportRun) -> ImportRun:
    """Mark a run failed when the process working on it is gone (killed, crashed).

    Its transaction died with it, so nothing of the import was saved; it can be run again.
    A run whose process is alive and whose heartbeat is fresh is left alone.
    """
    if run.status not in (Status.CHECKING, Status.IMPORTING):
        return run
    state = progress.read_progress(run.public_id) or {}
    pid = state.get("pid", run.runner_pid)
    host = state.get("host", run.runner_host)
    since = state.get("heartbeat")
    if since is None:
        since = (run.heartbeat_at or run.started_at).timestamp()
    if not progress.runner_dead(pid=pid, host=host, since=float(since)):
        return run
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status in (Status.CHECKING, Status.IMPORTING):
            _fail(
                locked,
                "The import stopped before it finished (its process ended); nothing of it was "
                "saved. You can run it again.",
            )
    progress.remove_progress(run.public_id)
    run.refresh_from_db()
    return run


def retry_run(run: ImportRun) -> ImportRun:
    """Run a failed import again from its kept file (check first, as for a new upload)."""
    if run.status != Status.FAILED:
        raise Refused("Only a failed import can be run again.")
    if not run.stored_file or not Path(run.stored_file).exists():
        raise Refused("The file of this import is no longer kept: upload it again.")
    run.status = Status.CHECKING
    run.runner_pid = None
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["status", "runner_pid", "heartbeat_at"])
    dispatch(run)
    return run
