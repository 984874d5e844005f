"""Synthetic but valid identifiers: NHS numbers, UPNs, vehicle registrations, badge numbers.

NHS numbers are a bijective scramble of a global person number (so never repeated) with a
valid modulus-11 check digit; UPNs carry a valid DfE check letter and encode the school and the
year of entry, as real ones do.
"""

from __future__ import annotations

import random

from safehub.people.validators import nhs_check_digit, upn_check_letter

_SCRAMBLE = 48_271_393  # coprime with 10**8, so i -> i * _SCRAMBLE mod 10**8 is a bijection
_NHS_BANDS = (9, 8, 7, 6, 5)  # first digit; a band is used when the earlier one gives check 10


def nhs_number(index: int) -> str:
    """The NHS number of person number `index` (unique for every index below 10**8)."""
    body = (index * _SCRAMBLE) % 100_000_000
    for band in _NHS_BANDS:
        nine = f"{band}{body:08d}"
        check = nhs_check_digit(nine)
        if check is not None:
            return f"{nine}{check}"
    raise ValueError(f"No valid NHS number for index {index}")  # pragma: no cover


def upn(la_code: int, estab: str, entry_year: int, serial: int) -> str:
    """A UPN: check letter, LA code (3), establishment (4), year of entry (2), serial (3)."""
    body = f"{la_code:03d}{estab}{entry_year % 100:02d}{serial:03d}"
    return upn_check_letter(body) + body


_VRM_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"


def vrm(rng: random.Random) -> str:
    """A current-style registration mark: two letters, age identifier, three letters."""
    age = rng.choice(("15", "65", "16", "66", "17", "67", "18", "68", "19", "69", "20", "70"))
    letters = "".join(rng.choice(_VRM_LETTERS) for _ in range(5))
    return f"{letters[:2]}{age} {letters[2:]}"


CAR_MAKES = (
    "Toyota Prius",
    "Skoda Octavia",
    "Ford Galaxy",
    "Volkswagen Passat",
    "Toyota Corolla",
    "Kia Niro",
    "Vauxhall Astra",
    "Ford Focus",
    "BMW 3 Series",
    "Audi A4",
    "Mercedes E-Class",
    "Peugeot 308",
    "Nissan Qashqai",
    "Hyundai Ioniq",
)
COLOURS = ("black", "silver", "white", "grey", "blue", "red", "green")
