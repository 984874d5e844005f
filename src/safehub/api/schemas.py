"""Request and response shapes of the JSON API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class ErrorItem(Schema):
    field: str = Field(
        description="Which input is wrong, e.g. 'child.nhs_number' or 'answers.missing_repeat'"
    )
    message: str


class ErrorOut(Schema):
    detail: list[ErrorItem]


class MessageOut(Schema):
    detail: str


class AnswerOptionOut(Schema):
    id: str
    label: str


class IndicatorOut(Schema):
    id: str
    label: str
    guidance: str
    options: list[AnswerOptionOut]


class GroupOut(Schema):
    id: str
    title: str
    guidance: str
    indicators: list[IndicatorOut]


class CategoryOut(Schema):
    id: str
    label: str
    meaning: str
    next_step: str
    creates_referral: bool


class ToolSummaryOut(Schema):
    id: str
    version: int
    title: str
    description: str


class ToolOut(ToolSummaryOut):
    groups: list[GroupOut]
    categories: list[CategoryOut]


class ChildIn(Schema):
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    date_of_birth: str = Field(description="ISO date, YYYY-MM-DD")
    sex: str = Field(description="female, male or not_known")
    known_as: str = ""
    ethnicity: str = "not_stated"
    nhs_number: str = ""
    upn: str = ""
    address_line1: str = ""
    postcode: str = ""


class ReferralIn(Schema):
    child: ChildIn
    concerns: str = Field(max_length=10000)
    sharing_basis: str = Field(description="consent, safeguarding, public_task or vital_interests")
    family_aware: str = Field(description="yes, no or not_known")


class ReferralCreatedOut(Schema):
    reference: str
    status: str
    outcome: str
    received_at: dt.datetime


class ScreeningIn(Schema):
    tool: str
    tool_version: int | None = None
    screening_date: str = Field(description="ISO date, YYYY-MM-DD; not in the future")
    child: ChildIn
    answers: dict[str, str]
    marks: dict[str, str] = {}
    notes: str = Field("", max_length=5000)
    sharing_basis: str = Field("", description="if the result refers: the sharing basis")
    family_aware: str = Field("", description="if the result refers: yes, no or not_known")


class ReferralOut(Schema):
    reference: str
    status: str
    outcome: str


class ScreeningOut(Schema):
    id: uuid.UUID
    tool: str
    tool_version: int
    screening_date: dt.date
    category: str
    category_label: str
    rule: str
    rule_description: str
    indicators: list[str]
    next_step: str
    referral: ReferralOut | None
    submitted_at: dt.datetime


class SearchIn(Schema):
    query: str = Field(
        max_length=200,
        description=(
            "What a person would type in the search box: names (any order, misspelt, a "
            "nickname), a date of birth in any common UK format or a year, an NHS number, a "
            "UPN, or a reference. Sent in the body so it never appears in an address or a log."
        ),
    )


class SourceOut(Schema):
    agency: str
    records: int


class SearchResultOut(Schema):
    restricted: bool = Field(
        description="A restricted record matches: nothing else is given; ask a CSE manager"
    )
    person_id: uuid.UUID | None = None
    given_name: str = ""
    family_name: str = ""
    known_as: str = ""
    date_of_birth: dt.date | None = None
    score: int | None = Field(None, description="0 to 100, higher is a better match")
    strength: str = ""
    reasons: list[str] = []
    sources: list[SourceOut] = Field(
        [], description="The agencies holding records for this child (broad search only)"
    )
    also_recorded_as: list[uuid.UUID] = Field(
        [], description="Other Safehub records that record linkage says are the same child"
    )


class SearchOut(Schema):
    results: list[SearchResultOut]
    more: bool = Field(description="More matched than were returned: add to the query")
