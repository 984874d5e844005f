"""The true state of one chunk of the synthetic city, before any agency records it.

Plain slotted dataclasses: a chunk holds tens of thousands of these, so no per-row methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Address:
    """An address on the city grid (metres east and north of the city's south-west corner)."""

    line1: str
    town: str
    postcode: str
    x: int
    y: int


@dataclass(slots=True)
class Person:
    """One real (synthetic) person: the truth every agency record is a version of."""

    pid: str
    kind: str  # child, parent, offender, contact, driver, staff, councillor
    given: str
    family: str
    sex: str
    dob: date
    ethnicity: str
    household: str = ""
    address: Address | None = None
    previous_address: Address | None = None
    moved_in: date | None = None
    # Another surname the person is known by (the other parent's, or a former one).
    alt_family: str = ""
    nhs: str = ""
    upn: str = ""
    school_urn: str = ""
    year_group: int | None = None
    looked_after: bool = False
    sen: str = ""  # "", "K" (SEN support) or "E" (education, health and care plan)
    fsm: bool = False
    # Per-session absence probability, the pupil's own baseline.
    absence_rate: float = 0.0
    role: str = "background"  # exploited, control, background
    known_to: tuple[str, ...] = ()  # agencies holding a record: social_care, police, ...


@dataclass(slots=True)
class Household:
    hid: str
    address: Address
    previous_address: Address
    moved_in: date
    adults: int
    children: int


@dataclass(slots=True)
class School:
    urn: str
    estab: str
    name: str
    phase: str  # primary or secondary
    address: Address


@dataclass(slots=True)
class Location:
    lid: str
    kind: str  # hotel, takeaway, park, address, shopping_centre, car_park
    name: str
    address: Address
    planted_by: str = ""  # network id when a network uses it


@dataclass(slots=True)
class Vehicle:
    vrm: str
    make: str
    colour: str
    keeper_pid: str
    plate: str = ""  # licensing plate number when the vehicle is a licensed taxi
    planted_by: str = ""


@dataclass(slots=True)
class AttendanceChange:
    """From `start` to `end` the pupil's sessions follow a different pattern."""

    start: date
    end: date
    extra_absence: float  # added per-session absence probability
    codes: str  # the absence codes drawn from (one per character)
    part_day: float  # probability a day is present in the morning but absent after lunch
    part_day_code: str
    late: float = 0.0  # probability of a late-after-registers (U) morning


@dataclass(slots=True)
class RegisterPlan:
    """How one pupil's register runs through the year (made by `registers.plan_registers`).

    The chances drive the ordinary days; `days` holds the days already decided (a holiday, a
    long illness, an outbreak, a planted pattern, a missing episode) as two codes, AM then PM,
    where "." leaves that session to the ordinary draw.
    """

    labels: list[str]  # truth categories, e.g. ["holiday"], ["exploited", "study_leave_leaver"]
    spans: list[tuple[str, date, date]]  # (school URN, first day on its roll, last day on it)
    ill_start: float  # chance per school day that an illness spell begins (before the season)
    unauth_day: float  # chance per school day of a whole day of unauthorised absence
    pm_unauth: float  # chance per attended morning that the afternoon is missed (O)
    medical: float  # chance per session of a medical appointment (M)
    late: float  # chance per morning of arriving late before registers close (L)
    late_u: float  # chance per morning of arriving after registers close (U)
    study_leave_from: date | None = None  # Year 11 and 13: S from this day to the last day
    days: dict[date, str] = field(default_factory=dict)
    pattern: str = ""  # an exploited child's planted attendance pattern
    pattern_began: date | None = None


@dataclass(slots=True)
class MissingEpisode:
    eid: str
    pid: str
    setting: str  # home or care
    reported_at: datetime
    found_at: datetime
    where_found: str  # a location id, or a description
    risk: str  # absent, low, medium, high
    rhi_offered: date | None = None
    rhi_accepted: bool = False
    rhi_completed: date | None = None


@dataclass(slots=True)
class ScreeningRecord:
    sid: str
    pid: str
    screening_date: date
    answers: dict[str, str]
    category: str
    rule: str
    indicators: tuple[str, ...]
    by_role: str  # the kind of professional who screened: school, health, social_care, police
    referral_status: str = ""  # "", awaiting_triage, in_triage, decided
    referral_received: datetime | None = None
    case_type: str = ""  # "", cse, child_in_need, child_protection
    case_status: str = ""  # "", open, closed


@dataclass(slots=True)
class Intelligence:
    iid: str
    on: date
    subject_pid: str
    other_pid: str
    location_id: str
    vrm: str
    kind: str  # seen_with, seen_entering_vehicle, seen_at_location, associate


@dataclass(slots=True)
class Network:
    nid: str
    offenders: list[str]
    victims: list[str]
    locations: list[str]
    vehicles: list[str]
    contacts: list[str]
    began: dict[str, date] = field(default_factory=dict)


@dataclass(slots=True)
class HealthEncounter:
    pid: str
    on: date
    setting: str  # gp, emergency_department, sexual_health
    reason: str


@dataclass
class Chunk:
    """Everything true about one chunk, ready for the extracts, the truth file and the loader."""

    index: int
    people: list[Person] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    extra_households: int = 0  # households without children: counted, not listed
    extra_adults: int = 0
    schools: list[School] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    episodes: list[MissingEpisode] = field(default_factory=list)
    screenings: list[ScreeningRecord] = field(default_factory=list)
    intelligence: list[Intelligence] = field(default_factory=list)
    encounters: list[HealthEncounter] = field(default_factory=list)
    attendance_changes: dict[str, list[AttendanceChange]] = field(default_factory=dict)
    # Each pupil's register plan, and each school's non-teaching days (URN -> day -> reason).
    registers: dict[str, RegisterPlan] = field(default_factory=dict)
    closures: dict[str, dict[date, str]] = field(default_factory=dict)
    # Per exploited or control child: why (network id, or the innocent reasons) and dates.
    stories: dict[str, dict[str, object]] = field(default_factory=dict)
    licences: list[dict[str, object]] = field(default_factory=list)
    workforce: list[dict[str, object]] = field(default_factory=list)
