"""The screening pages' forms (safehub.govuk_forms). The services check every answer, so
their messages are the ones shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from safehub.govuk_forms import Choice, ChoiceField, GovukForm, ServiceChoiceField, text
from safehub.referrals.models import FamilyAware, SharingBasis
from safehub.refusals import Refused
from safehub.screening.definitions import IndicatorGroup, ResultCategory, ScreeningTool
from safehub.screening.rules import AnswerError, marks_for_answers, validate_answers
from safehub.screening.services import validate_marks

NO_TOOL = "Select the screening tool you want to use"


class ToolForm(GovukForm):
    """The start page: which screening tool (the latest version of each)."""

    tool = ChoiceField(
        label="Which screening tool does your partnership use?",
        error_messages={"required": NO_TOOL, "invalid_choice": NO_TOOL},
    )

    def __init__(self, *args: Any, tools: Sequence[ScreeningTool] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tools = {t.id: t for t in tools}
        self.fields["tool"].set_options(  # type: ignore[attr-defined]
            [Choice(t.id, t.title, hint=f"{t.description} (version {t.version})") for t in tools]
        )

    def chosen(self) -> ScreeningTool:
        """The tool chosen (after `is_valid()`)."""
        return self.tools[self.cleaned_data["tool"]]


MARK_OPTIONS = [
    Choice("evidence", "Evidence (seen or told)"),
    Choice("concern", "Professional concern"),
]


def mark_name(indicator_id: str) -> str:
    """The name an indicator's mark (evidence or concern) is posted as."""
    return f"{indicator_id}__mark"


def validate_answers_subset(tool: ScreeningTool, answers: Mapping[str, str]) -> list[AnswerError]:
    """Option checks for the answers given so far (missing ones are checked at submission)."""
    return [
        p
        for p in validate_answers(tool, answers)
        if p.indicator_id in answers or p.indicator_id not in {i.id for i in tool.indicators()}
    ]


class QuestionPageForm(GovukForm):
    """One page of a screening tool's questions (an indicator group), made from the tool: per
    indicator, radios of its answer options named by its id, with its guidance as the hint,
    and, where it may be marked, "If yes, what is it based on?" under it (`<id>__mark`).

    Answers are passed on as posted and checked as the API checks them (the tool's options,
    `validate_marks`), limited to this page; the messages name each question by its label,
    never by its id. A mark stays only on a positive answer (`marks_for_answers`): changing an
    answer back to "No" clears its mark rather than refusing the page.
    """

    def __init__(
        self,
        *args: Any,
        tool: ScreeningTool,
        group: IndicatorGroup,
        answers: Mapping[str, str] | None = None,
        marks: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.tool, self.group = tool, group
        self.kept_answers, self.kept_marks = dict(answers or {}), dict(marks or {})
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for indicator in group.indicators:
            self.fields[indicator.id] = ServiceChoiceField(
                label=indicator.label,
                help_text=indicator.guidance,
                options=[(o.id, o.label) for o in indicator.options],
            )
            if indicator.allows_mark:
                self.fields[mark_name(indicator.id)] = ServiceChoiceField(
                    label="If yes, what is it based on? (optional)",
                    options=MARK_OPTIONS,
                    follows=indicator.id,
                    widget=forms.RadioSelect(attrs={"inline": True}),
                )
        self.answers: dict[str, str] = {}
        self.marks: dict[str, str] = {}

    def _initial(self) -> dict[str, str]:
        initial = {}
        for indicator in self.group.indicators:
            if indicator.id in self.kept_answers:
                initial[indicator.id] = self.kept_answers[indicator.id]
            if indicator.id in self.kept_marks:
                initial[mark_name(indicator.id)] = self.kept_marks[indicator.id]
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        answers: dict[str, str] = {}
        marks: dict[str, str] = {}
        for indicator in self.group.indicators:
            answer = str(cleaned.get(indicator.id) or "")
            if not answer:
                self.add_error(indicator.id, f"Select an answer for: {indicator.label}")
                continue
            answers[indicator.id] = answer
            mark = str(cleaned.get(mark_name(indicator.id)) or "")
            if mark:
                marks[indicator.id] = mark
        marks = marks_for_answers(answers, marks)
        for problem in validate_answers_subset(self.tool, answers):
            self._refuse_once(problem, "Select one of the answers for: {}")
        for problem in validate_marks(self.tool, answers, marks):
            self._refuse_once(
                problem, "Choose evidence or professional concern, or neither, for: {}"
            )
        self.answers, self.marks = answers, marks
        return cleaned

    def _refuse_once(self, problem: AnswerError, message: str) -> None:
        # One message per question: the first problem found is the one the user reads.
        name = problem.indicator_id
        if name in self.errors:
            return
        label = self.fields[name].label if name in self.fields else "this question"
        self.add_error(name if name in self.fields else None, message.format(label))

    def kept(self) -> tuple[dict[str, str], dict[str, str]]:
        """The draft's answers and marks (as given to the form) with this page's as posted,
        kept even when the page is refused, so nothing typed is lost; a mark stays only on a
        positive answer."""
        self.is_valid()
        answers, marks = dict(self.kept_answers), dict(self.kept_marks)
        for indicator in self.group.indicators:
            for kept, posted in ((answers, self.answers), (marks, self.marks)):
                if indicator.id in posted:
                    kept[indicator.id] = posted[indicator.id]
                else:
                    kept.pop(indicator.id, None)
        return answers, marks_for_answers(answers, marks)


class LoweringDecisionForm(GovukForm):
    """A manager's decision on a lower result asked for: the screening (a hidden field) and
    the button pressed, "approve" or anything else to keep the tool's result."""

    screening = forms.CharField(widget=forms.HiddenInput, required=False)
    decision = ServiceChoiceField(
        label="Decision",
        options=[("approve", "Approve the lower result"), ("refuse", "Keep the tool's result")],
    )

    def approves(self) -> bool:
        """Whether the lower result is approved (after `is_valid()`)."""
        return self.cleaned_data.get("decision") == "approve"

    def refuse(self, refusal: Refused) -> None:
        """The page shows buttons, not fields: every message goes at the top."""
        for message in refusal.errors.values():
            self.add_error(None, message)


CONSENT = "You do not need consent to share information to keep a child safe."


def _sharing_basis(label: str, hint: str) -> ServiceChoiceField:
    return ServiceChoiceField(label=label, help_text=hint, options=SharingBasis.choices)


def _family_aware() -> ServiceChoiceField:
    return ServiceChoiceField(
        label="Does the child's family know you are sharing this?", options=FamilyAware.choices
    )


class CheckForm(GovukForm):
    """The check page: notes for the MASH and, for a referral, the basis for sharing and
    whether the family knows."""

    notes = text(
        "Anything else the MASH should know (optional)",
        hint="What you have seen or been told, in your own words.",
        rows=4,
    )
    sharing_basis = _sharing_basis(
        "If this leads to a referral, on what basis are you sharing it?", CONSENT
    )
    family_aware = _family_aware()

    def __init__(self, *args: Any, refers: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if refers:
            field = self.fields["sharing_basis"]
            field.label = "On what basis are you sharing this with the MASH?"
            field.help_text = (
                "These answers refer the child to the MASH, so the MASH needs to know this. "
                + CONSENT
            )


class JudgementForm(GovukForm):
    """A different final result and why; the sharing answers when it may refer the child."""

    category = ServiceChoiceField(label="What should the result be?")
    reason = text("Why?", rows=4)
    sharing_basis = _sharing_basis(
        "If this result refers the child to the MASH, on what basis are you sharing it?",
        f"Needed when you raise the result to one that refers the child. {CONSENT}",
    )
    family_aware = _family_aware()

    def __init__(
        self,
        *args: Any,
        categories: Sequence[ResultCategory] = (),
        asks_sharing: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].set_options(  # type: ignore[attr-defined]
            [(c.id, c.label) for c in categories]
        )
        if not asks_sharing:
            del self.fields["sharing_basis"], self.fields["family_aware"]
