"""Import a synthetic city's extracts folder (`safehub build_city --out DIR`) in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safehub.imports import services
from safehub.imports.models import ImportRun
from safehub.imports.registry import get_source

# (source, file under DIR/extracts/): schools before pupils and attendance; people before
# the police reports that refer to them.
CITY_FILES = (
    ("schools", "education/schools.csv"),
    ("school_census", "education/pupils.csv"),
    ("school_attendance", "education/attendance.csv"),
    ("social_care_children", "social_care/children.csv"),
    ("police_persons", "police/persons.csv"),
    ("police_missing_reports", "police/missing_reports.csv"),
    ("workforce_staff", "workforce/staff.csv"),
    ("licensing_drivers", "licensing/drivers.csv"),
    ("licensing_vehicles", "licensing/vehicles.csv"),
    ("police_locations", "police/locations.csv"),
    ("police_vehicles", "police/vehicles.csv"),
    ("police_intelligence", "police/intelligence.csv"),
)


class CityImportFailed(Exception):
    def __init__(self, run: ImportRun) -> None:
        super().__init__(f"{run.source}: {run.get_status_display()}. {run.error}")
        self.run = run


def import_city_extracts(
    out_dir: Path, user: Any, *, skip_rejected: bool = True
) -> dict[str, ImportRun]:
    """Import the city's education, social care, police, workforce and licensing extracts,
    one run per file.

    `out_dir` is the folder `build_city --out` wrote (with `extracts/` inside) or its
    `extracts/` folder itself. `user` is recorded as having run the imports (and as the
    recorder of the imported missing episodes). Rows the sources reject are left out
    (`skip_rejected`, default True) and counted on each run. Stops at the first run that
    fails, raising CityImportFailed; runs already imported stay imported.
    """
    root = Path(out_dir)
    extracts = root / "extracts" if (root / "extracts").is_dir() else root
    runs: dict[str, ImportRun] = {}
    for name, relative in CITY_FILES:
        path = extracts / relative
        run = services.start_run(
            user=user,
            source=get_source(name),
            path=path,
            file_name=path.name,
            channel="cli",
            skip_rejected=skip_rejected,
        )
        run = services.apply_run(run, path=path)
        runs[name] = run
        if run.status != ImportRun.Status.IMPORTED:
            raise CityImportFailed(run)
    return runs
