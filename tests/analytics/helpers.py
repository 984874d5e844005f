"""Importing the published comparator files in tests, as the import pages would."""

from __future__ import annotations

from pathlib import Path

from safehub.accounts.models import User
from safehub.imports import services
from safehub.imports.models import ImportRun
from safehub.imports.registry import get_source

DFE_DIR = Path(__file__).resolve().parents[2] / "src" / "safehub" / "analytics" / "data" / "dfe"
REAL_FILES = {
    "ons_child_population": "ons_mid-year_population_estimates_2012_to_2024.csv",
    "dfe_c3_factors": "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
    "dfe_b1_children_in_need": "b1_children_in_need_2013_to_2025.csv",
    "dfe_neighbours_2021": "New_Statistical_Neighbour_Groupings_April_2021.csv",
    "dfe_neighbours_2025": "sn_model_2025_wide.csv",
}


def import_file(source: str, path: Path, user: User | None = None) -> ImportRun:
    """Import one file for `source` (rows rejected: nothing is imported)."""
    run = services.start_run(
        user=user, source=get_source(source), path=path, file_name=path.name, channel="cli"
    )
    return services.apply_run(run, path=path)


def import_real_files(user: User | None = None) -> dict[str, ImportRun]:
    """Import the five published files copied into the repository."""
    return {name: import_file(name, DFE_DIR / file, user) for name, file in REAL_FILES.items()}
