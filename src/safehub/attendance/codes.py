"""DfE attendance codes, grouped as the rules count them (School attendance guidance, 2016).

Each register session holds one code. "Possible" sessions are those the pupil was expected to
attend; codes for sessions the pupil was not required to attend (school closed, not of
compulsory school age, dual registered elsewhere) are not counted at all.
"""

from __future__ import annotations

# Present, or present late before the register closed.
PRESENT = frozenset("/\\L")
# Approved educational activity off site: counts as present.
EDUCATIONAL_ACTIVITY = frozenset("BJPVWK")
AUTHORISED = frozenset("CEHIMRST")
UNAUTHORISED = frozenset("GNOU")
ABSENT = AUTHORISED | UNAUTHORISED
ATTENDED = PRESENT | EDUCATIONAL_ACTIVITY
# Everything else ("#" closed, "X" not of compulsory age, "Y", "Z", "D" dual registered, "-")
# is not a possible session.
COUNTED = ATTENDED | ABSENT

LATE_AFTER_REGISTERS = "U"
# Pre-2024 guidance has no code of its own for a part-time timetable: schools record the
# sessions the pupil is not expected to attend as C (authorised, exceptional circumstances).
PART_TIME = "C"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

MEANINGS = {
    "/": "present (morning)",
    "\\": "present (afternoon)",
    "L": "late before registers closed",
    "U": "late after registers closed (unauthorised)",
    "B": "off-site educational activity",
    "J": "interview",
    "P": "approved sporting activity",
    "V": "educational visit or trip",
    "W": "work experience",
    "K": "education arranged by the local authority",
    "C": "authorised: other (exceptional circumstances)",
    "E": "excluded or suspended",
    "H": "authorised holiday",
    "I": "illness",
    "M": "medical or dental appointment",
    "R": "religious observance",
    "S": "study leave",
    "T": "traveller absence",
    "G": "unauthorised holiday",
    "N": "no reason yet",
    "O": "unauthorised: other",
    "#": "school closed",
    "X": "not required to attend",
    "Y": "unable to attend (exceptional)",
    "Z": "not yet on roll",
    "D": "dual registered elsewhere",
    "-": "no register taken",
}


def kind_of(code: str) -> str:
    """The class of one code, for display: present, activity, authorised, unauthorised, none."""
    if code in PRESENT:
        return "present"
    if code in EDUCATIONAL_ACTIVITY:
        return "activity"
    if code in AUTHORISED:
        return "authorised"
    if code in UNAUTHORISED:
        return "unauthorised"
    return "none"
