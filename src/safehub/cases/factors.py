"""DfE Children in Need census assessment-factor codes recorded on a CSE case.

Recording the census code (not just words) lets the council return the data to the DfE and
compare with other authorities (DOMAIN.md 1.9 and 11.5). The exploitation-related factors come
first; the others are those a CSE team most often records alongside them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AssessmentFactor:
    code: str
    label: str
    exploitation: bool = False


FACTORS: tuple[AssessmentFactor, ...] = (
    AssessmentFactor("11A", "Child sexual exploitation", exploitation=True),
    AssessmentFactor("10A", "Going or being missing", exploitation=True),
    AssessmentFactor("12A", "Trafficking", exploitation=True),
    AssessmentFactor("24A", "Child criminal exploitation", exploitation=True),
    AssessmentFactor("13A", "Gangs", exploitation=True),
    AssessmentFactor("14A", "Socially unacceptable behaviour"),
    AssessmentFactor("15A", "Self-harm"),
    AssessmentFactor("2A", "Drug misuse: the child"),
    AssessmentFactor("1A", "Alcohol misuse: the child"),
    AssessmentFactor("4A", "Mental health: the child"),
    AssessmentFactor("16A", "Neglect"),
    AssessmentFactor("19B", "Sexual abuse: child on child"),
    AssessmentFactor("19C", "Sexual abuse: adult on child"),
)

BY_CODE: dict[str, AssessmentFactor] = {f.code: f for f in FACTORS}


def factor(code: str) -> AssessmentFactor:
    """The factor with this census code; refuses (KeyError) a code not in the list."""
    return BY_CODE[code]
