"""Import runs for tests: a checked run with a rejected-rows file, for the matrix."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from safehub.accounts.models import User
from safehub.imports.models import ImportRun


def matrix_run(owner: User) -> dict[str, Any]:
    """A checked run of `owner`'s with one rejected row kept (no real upload behind it)."""
    fd, path = tempfile.mkstemp(prefix="safehub-matrix-", suffix=".rejected.csv")
    with os.fdopen(fd, "w") as handle:
        handle.write("police_id,row,reason\nPN1,2,police_id is not a police id\n")
    run = ImportRun.objects.create(
        source="police_persons",
        source_version=1,
        file_name="persons.csv",
        file_sha256="0" * 64,
        status=ImportRun.Status.CHECKED,
        started_by=owner,
        rows_total=1,
        rows_done=1,
        rejected=1,
        rejections=[{"row": 2, "column": "police_id", "reason": "is not a police id"}],
        rejected_file=path,
    )
    return {"public_id": run.public_id}
