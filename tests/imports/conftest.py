"""Imports tests keep their files in a temporary directory and run web imports inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safehub.people.validators import upn_check_letter


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "imports"
    settings.SAFEHUB_IMPORTS_DIR = str(path)
    settings.SAFEHUB_IMPORTS_INLINE = True
    return path


def upn(n: int) -> str:
    body = f"9002005{n:05d}"
    return upn_check_letter(body) + body


SCHOOLS = (
    "urn,name,phase,address_line1,postcode\n"
    "900000,Moorlands Primary School,primary,Wellington Close,SH4 4TR\n"
    "900001,Brookside Academy,secondary,Barley Street,SH5 1XF\n"
)


def pupils_csv(rows: int = 3, *, bad: dict[int, str] | None = None) -> str:
    """A pupils file of `rows` pupils; `bad` replaces a row's date of birth (1-based)."""
    lines = [
        "pupil_id,upn,given_name,family_name,date_of_birth,sex,address_line1,town,postcode,"
        "ethnicity,school_urn,year_group,sen,fsm,looked_after"
    ]
    for n in range(1, rows + 1):
        dob = (bad or {}).get(n, f"2014-0{1 + n % 9}-1{n % 10}")
        lines.append(
            f"ED{n:09d},{upn(n)},Testa{n},Importer,{dob},F,{n} Mill Lane,Safehub,SH6 0QY,"
            f"white_british,900000,5,,N,N"
        )
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
