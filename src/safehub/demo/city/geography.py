"""Postcode-like areas on a grid the size of a city, and addresses in them.

Each chunk is a 7 km square. Its postcodes use a postcode area no real address has ("SH",
then "QA", "QB", ...), six districts laid out three by two, ten sectors per district and up to
400 units per sector, so nearby addresses share postcode prefixes as they do in real life.
"""

from __future__ import annotations

import random

from safehub.demo.city.model import Address

SIDE = 7000  # metres per chunk side
# Where the grid sits on the British National Grid, so extracts carry eastings and northings
# as police systems do (and a map can place them). The city is made up; the spot is inland.
BNG_ORIGIN = (430_000, 272_000)
AREAS = ("SH",) + tuple(f"Q{c}" for c in "ABCDEFGHJKLMNPRSTUWXYZ")
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward-code letters (no C, I, K, M, O, V)
TOWNS = (
    "Safehub",
    "Ashbrook",
    "Kingsmere",
    "Westfold",
    "Harrowby",
    "Millbridge",
    "Stonecross",
    "Elmhurst",
    "Brackley Vale",
    "Thornfield",
    "Oakridge",
    "Fernley",
    "Redmarsh",
)
STREET_WORDS = (
    "Elm Oak Ash Birch Willow Cedar Hazel Holly Maple Rowan Linden Alder Poplar Beech Laurel "
    "Church Mill Station Park School Chapel Bridge Market Manor Grange Meadow Orchard Spring "
    "Victoria Albert Queens Kings Princes Windsor Coronation Jubilee Nelson Wellington Trinity "
    "Foleshill Radford Stoke Binley Allesley Tile Hill Earlsdon Wyken Canley Whitley Hillfield "
    "Brook Ridge Moor Heath Hollow Croft Furlong Barley Clover Heron Kestrel Lark Swallow Wren"
).split()
STREET_KINDS = (
    "Road Road Road Street Street Avenue Close Close Lane Drive Grove Way Crescent Place "
    "Gardens Court Walk Rise Terrace"
).split()


class Grid:
    """The streets and postcodes of one chunk, with addresses drawn on them."""

    def __init__(self, chunk: int, rng: random.Random) -> None:
        self.rng = rng
        self.x0 = (chunk % 5) * SIDE
        self.y0 = (chunk // 5) * SIDE
        self.area = AREAS[chunk // 8]
        self.first_district = (chunk % 8) * 6 + 1
        self.town = TOWNS[0] if chunk < 2 else TOWNS[1 + (chunk - 2) % (len(TOWNS) - 1)]
        self._streets: dict[str, str] = {}
        self._numbers: dict[str, int] = {}

    def postcode_at(self, x: int, y: int) -> str:
        """The postcode of the unit containing grid point (x, y) of this chunk."""
        lx, ly = x - self.x0, y - self.y0
        dw, dh = SIDE // 3 + 1, SIDE // 2 + 1
        district = self.first_district + (lx // dw) + 3 * (ly // dh)
        sx, sy = lx % dw, ly % dh
        sector = (sx * 5) // dw + 5 * ((sy * 2) // dh)
        ux, uy = (sx * 100 // dw) % 20, (sy * 40 // dh) % 20
        return f"{self.area}{district} {sector}{UNIT_LETTERS[ux]}{UNIT_LETTERS[uy]}"

    def street_of(self, postcode: str) -> str:
        """The street a postcode unit lies on (picked once per unit)."""
        street = self._streets.get(postcode)
        if street is None:
            street = f"{self.rng.choice(STREET_WORDS)} {self.rng.choice(STREET_KINDS)}"
            self._streets[postcode] = street
        return street

    def address_at(self, x: int, y: int, *, name: str = "") -> Address:
        """A new address at (x, y): the next house number on the unit's street."""
        x = min(max(x, self.x0), self.x0 + SIDE - 1)
        y = min(max(y, self.y0), self.y0 + SIDE - 1)
        postcode = self.postcode_at(x, y)
        number = self._numbers.get(postcode, self.rng.randrange(1, 40)) + self.rng.randrange(1, 4)
        self._numbers[postcode] = number
        street = self.street_of(postcode)
        line1 = f"{name}, {street}" if name else f"{number} {street}"
        return Address(line1, self.town, postcode, x, y)

    def random_address(self, *, name: str = "") -> Address:
        """An address anywhere in the chunk, denser towards its centre (where housing is)."""
        rng = self.rng
        x = int(rng.triangular(0, SIDE, SIDE / 2)) + self.x0
        y = int(rng.triangular(0, SIDE, SIDE / 2)) + self.y0
        return self.address_at(x, y, name=name)

    def address_near(self, x: int, y: int, radius: int, *, name: str = "") -> Address:
        """An address within about `radius` metres of (x, y)."""
        rng = self.rng
        return self.address_at(
            x + rng.randint(-radius, radius), y + rng.randint(-radius, radius), name=name
        )
