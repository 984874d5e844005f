"""Synthetic names: pools of given and family names by background, and the nickname table.

The word lists are in `demo/data/names.csv` and `demo/data/nicknames.csv`; the nickname table
is shared with record linkage, which needs the same Kate/Katie/Catherine equivalences.
"""

from __future__ import annotations

import csv
import random
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Ethnicity (people.choices.Ethnicity values) -> name pools and their weights. Mixed-heritage
# children draw from both parents' pools; family names follow the same weights.
POOLS_BY_ETHNICITY: dict[str, tuple[tuple[str, float], ...]] = {
    "white_british": (("english", 1.0),),
    "white_irish": (("english", 1.0),),
    "white_gypsy_traveller": (("english", 1.0),),
    "white_roma": (("east_european", 1.0),),
    "white_other": (("east_european", 0.8), ("english", 0.2)),
    "asian_indian": (("indian", 1.0),),
    "asian_pakistani": (("south_asian_muslim", 1.0),),
    "asian_bangladeshi": (("south_asian_muslim", 1.0),),
    "asian_chinese": (("chinese", 0.8), ("english", 0.2)),
    "asian_other": (("indian", 0.4), ("south_asian_muslim", 0.4), ("english", 0.2)),
    "black_african": (("african", 1.0),),
    "black_caribbean": (("caribbean", 0.6), ("english", 0.4)),
    "black_other": (("african", 0.5), ("caribbean", 0.5)),
    "mixed_white_asian": (("english", 0.6), ("indian", 0.2), ("south_asian_muslim", 0.2)),
    "mixed_white_black_african": (("english", 0.6), ("african", 0.4)),
    "mixed_white_black_caribbean": (("english", 0.5), ("caribbean", 0.5)),
    "mixed_other": (("english", 0.7), ("east_european", 0.3)),
    "other_arab": (("arab", 0.8), ("south_asian_muslim", 0.2)),
    "other_any": (("english", 0.4), ("arab", 0.3), ("african", 0.3)),
    "not_stated": (("english", 1.0),),
}

# Children 0-17 in a diverse English city (ONS 2021 categories, shaped on a West Midlands city).
CHILD_ETHNICITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("white_british", 0.49),
    ("white_irish", 0.005),
    ("white_gypsy_traveller", 0.003),
    ("white_roma", 0.007),
    ("white_other", 0.08),
    ("asian_indian", 0.08),
    ("asian_pakistani", 0.05),
    ("asian_bangladeshi", 0.02),
    ("asian_chinese", 0.01),
    ("asian_other", 0.03),
    ("black_african", 0.075),
    ("black_caribbean", 0.01),
    ("black_other", 0.01),
    ("mixed_white_asian", 0.015),
    ("mixed_white_black_african", 0.01),
    ("mixed_white_black_caribbean", 0.02),
    ("mixed_other", 0.02),
    ("other_arab", 0.015),
    ("other_any", 0.015),
    ("not_stated", 0.025),
)


@cache
def pools() -> dict[str, dict[str, tuple[str, ...]]]:
    """Name pools: pool -> kind ('f' girls, 'm' boys, 's' surnames) -> names."""
    result: dict[str, dict[str, list[str]]] = {}
    with (DATA_DIR / "names.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            result.setdefault(row["pool"], {}).setdefault(row["kind"], []).append(row["name"])
    return {pool: {k: tuple(v) for k, v in kinds.items()} for pool, kinds in result.items()}


@cache
def nicknames() -> dict[str, tuple[str, ...]]:
    """Formal name -> its nicknames, from `data/nicknames.csv` (file order)."""
    table: dict[str, list[str]] = {}
    with (DATA_DIR / "nicknames.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["name"], []).append(row["nickname"])
    return {name: tuple(v) for name, v in table.items()}


class NamePicker:
    """Draws names for a person of a given ethnicity and sex from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._pools = pools()
        self._eth = [e for e, _ in CHILD_ETHNICITY_WEIGHTS]
        self._eth_cum = _cumulative([w for _, w in CHILD_ETHNICITY_WEIGHTS])
        self._pool_choice = {
            eth: ([p for p, _ in opts], _cumulative([w for _, w in opts]))
            for eth, opts in POOLS_BY_ETHNICITY.items()
        }

    def ethnicity(self) -> str:
        """An ethnicity drawn from the city's mix of children."""
        return self.rng.choices(self._eth, cum_weights=self._eth_cum)[0]

    def _pool(self, ethnicity: str) -> dict[str, tuple[str, ...]]:
        names, cum = self._pool_choice[ethnicity]
        return self._pools[self.rng.choices(names, cum_weights=cum)[0]]

    def given(self, ethnicity: str, sex: str) -> str:
        """A given name for the sex ('female' or 'male') and background."""
        return self.rng.choice(self._pool(ethnicity)["f" if sex == "female" else "m"])

    def family(self, ethnicity: str) -> str:
        """A family name for the background."""
        return self.rng.choice(self._pool(ethnicity)["s"])


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(word) < 3:
        return word + word[-1].lower()
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        out = word[:i] + word[i + 1 :]
    elif kind == 1:
        out = word[:i] + word[i] + word[i:]
    elif kind == 2 and word[i] != word[i + 1]:
        out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        letters = "aeiourlnst" if word[i].lower() in "aeiou" else "aeioumnrtk"
        out = word[:i] + rng.choice([c for c in letters if c != word[i].lower()]) + word[i + 1 :]
    return out if out != word else word + "e"


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
