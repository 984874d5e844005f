"""The one form system: Django forms shown as GOV.UK components, with GOV.UK's date messages
and a service's refusal shown beside the field it is about."""

from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from safehub.govuk_forms import (
    Choice,
    ChoiceField,
    DateField,
    GovukForm,
    MultipleChoiceField,
    ServiceChoiceField,
    TickField,
    VersionField,
    is_uuid,
)
from safehub.refusals import Refused


class SampleForm(GovukForm):
    title = forms.CharField(label="Title", help_text="A few words")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    due = DateField(label="Due date")
    risk = ChoiceField(
        label="Risk", options=[("low", "Low"), Choice("high", "High", hint="Review in 4 weeks")]
    )
    owners = MultipleChoiceField(
        label="Owners",
        options=[Choice("a", "Ann", group="Police"), Choice("b", "Bob", group="School")],
    )
    agency = ChoiceField(label="Agency", options=[("1", "Council")], widget=forms.Select)
    count = forms.IntegerField(label="How many", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def post(**values: str | list[str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.appendlist(name.replace("_", "-") if name.startswith("due_") else name, item)
    return data


def test_an_empty_form_renders_each_kind_as_its_govuk_component() -> None:
    html = str(SampleForm(initial={"due": date(2026, 3, 9), "version": 4}))
    assert 'class="govuk-input" id="title" name="title"' in html
    assert 'id="title-hint" class="govuk-hint">A few words' in html
    assert '<textarea class="govuk-textarea" id="notes" name="notes"' in html
    assert 'name="due-day" type="text" inputmode="numeric" value="9"' in html
    assert 'name="due-year" type="text" inputmode="numeric" value="2026"' in html
    assert 'class="govuk-radios__input" id="risk" name="risk" type="radio" value="low"' in html
    assert (
        'id="risk-high-item-hint" class="govuk-hint govuk-radios__hint">Review in 4 weeks' in html
    )
    assert '<legend class="govuk-fieldset__legend govuk-!-font-weight-bold">Police</legend>' in html
    assert 'id="owners-b" name="owners" type="checkbox" value="b"' in html
    assert '<select class="govuk-select" id="agency" name="agency"' in html
    assert 'inputmode="decimal"' in html and 'id="count"' in html
    assert '<input type="hidden" name="version" value="4">' in html
    assert "There is a problem" not in html and "govuk-error-message" not in html


def test_posted_values_are_cleaned_and_shown_again() -> None:
    form = SampleForm(
        post(
            title="Visit",
            due_day="9",
            due_month="3",
            due_year="2026",
            risk="high",
            owners=["a", "b"],
            agency="1",
            count="3",
        )
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == date(2026, 3, 9)
    assert form.cleaned_data["owners"] == ["a", "b"]
    html = str(form)
    assert 'value="high" checked' in html
    assert 'value="b" checked' in html
    assert '<option value="1" selected>Council</option>' in html
    assert form.error_list == []


def test_errors_appear_beside_each_field_and_in_the_summary_in_field_order() -> None:
    form = SampleForm(post(due_day="31", due_month="2", due_year="2026", agency="9"))
    assert not form.is_valid()
    fields = [name for name, _ in form.error_list]
    assert fields == ["title", "due-day", "risk", "agency"]
    messages = dict(form.error_list)
    assert messages["due-day"] == "Due date must be a real date"
    html = str(form)
    assert 'id="due-error" class="govuk-error-message"' in html
    assert "govuk-form-group--error" in html
    assert 'value="31"' in html  # what was typed is kept


def test_date_messages_follow_govuk() -> None:
    def error(**parts: str) -> str:
        form = SampleForm(post(title="t", risk="low", agency="1", **parts))
        form.is_valid()
        return dict(form.error_list).get("due-day", "")

    assert error(due_day="9", due_year="2026") == "Due date must include a month"
    assert error(due_day="9", due_month="3", due_year="26") == "Year must include 4 numbers"
    assert error() == ""  # not required unless the form says so


def test_a_refusal_goes_beside_its_field_or_to_the_top() -> None:
    form = SampleForm(post(title="t", risk="low", agency="1"))
    assert form.is_valid()
    form.refuse(Refused({"title": "Enter a longer title", "reason": "Say why"}))
    assert form.error_list == [("__all__", "Say why"), ("title", "Enter a longer title")]
    html = str(form)
    assert 'id="title-error"' in html


def test_a_draft_is_shown_as_typed_without_messages() -> None:
    form = SampleForm(post(title="", due_day="99"), as_draft=True)
    assert form.error_list == []
    html = str(form)
    assert 'value="99"' in html
    assert "govuk-error-message" not in html


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_a_typed_date_is_a_date_or_a_plain_message(day: str, month: str, year: str) -> None:
    field = DateField(label="Start date")
    try:
        value = field.clean({"day": day, "month": month, "year": year})
    except forms.ValidationError as exc:
        assert exc.messages[0].startswith(("Start date must", "Year must"))
    else:
        assert value is None or isinstance(value, date)


def test_stock_messages_are_in_govuk_words() -> None:
    form = SampleForm(post(agency="9", count="lots"))
    form.is_valid()
    messages = dict(form.error_list)
    assert messages["title"] == "Enter title"
    assert messages["risk"] == "Select risk"
    assert messages["agency"] == "Choose agency from the list"
    assert messages["count"] == "How many must be a whole number"
    assert all("9" not in m and "lots" not in m for m in messages.values())


class ShapedForm(GovukForm):
    badge = forms.CharField(
        label="Badge number", widget=forms.TextInput(attrs={"width": "10", "inputmode": "numeric"})
    )
    done = TickField(label="Done", box="The work is done")
    version = VersionField()
    outcome = ServiceChoiceField(label="Outcome", options=[("kept", "Kept")])
    met = DateField(label="When did you meet?", called="The meeting date")


def test_widths_ticks_versions_and_service_checked_choices() -> None:
    html = str(ShapedForm(initial={"done": True, "version": 3}))
    assert "govuk-input--width-10" in html and 'inputmode="numeric"' in html
    assert 'id="done" name="done" type="checkbox" value="yes" checked' in html
    assert '<input type="hidden" name="version" value="3">' in html
    form = ShapedForm(post(badge="1", outcome="anything", version="x", met_day="1"))
    form.data = form.data.copy()
    form.data.setlist("met-day", ["1"])
    assert not form.is_valid()
    assert form.cleaned_data["done"] is False
    assert form.cleaned_data["version"] == 0
    assert form.cleaned_data["outcome"] == "anything"  # the service says what is wrong
    assert dict(form.error_list) == {"met-day": "The meeting date must include a month and a year"}


@given(st.uuids())
def test_a_public_id_in_any_of_its_spellings_is_a_uuid(value: uuid.UUID) -> None:
    assert is_uuid(str(value)) and is_uuid(value.hex) and is_uuid(str(value).upper())


@given(st.text(max_size=40))
def test_anything_else_typed_is_not_a_uuid_and_never_an_error(typed: str) -> None:
    try:
        uuid.UUID(typed)
    except ValueError:
        assert not is_uuid(typed)
    else:
        assert is_uuid(typed)
    assert not is_uuid("") and not is_uuid("1; DROP TABLE") and not is_uuid("0" * 31)


def test_a_prefixed_forms_summary_links_to_its_own_ids() -> None:
    form = SampleForm(post(**{"p-due-day": "31", "p-due-month": "2"}), prefix="p")
    assert not form.is_valid()
    assert [name for name, _ in form.error_list] == ["p-title", "p-due-day", "p-risk", "p-agency"]
    html = str(form)
    assert 'id="p-title" name="p-title"' in html and 'id="p-due-error"' in html


class PasswordForm(GovukForm):
    secret = forms.CharField(label="Password", widget=forms.PasswordInput)
    email = forms.CharField(label="Email", widget=forms.EmailInput)


def test_a_password_typed_is_never_shown_again_and_inputs_keep_their_type() -> None:
    html = str(PasswordForm(post(secret="hunter2-typed", email="a@example.org")))
    assert "hunter2-typed" not in html
    assert 'name="secret" type="password" value=""' in html
    assert 'name="email" type="email" value="a@example.org"' in html


class FollowUpForm(GovukForm):
    seen = ChoiceField(label="Seen?", options=[("yes", "Yes"), ("no", "No")])
    basis = ChoiceField(
        label="If yes, how do you know?",
        options=[("told", "Told"), ("saw", "Saw")],
        follows="seen",
        required=False,
        widget=forms.RadioSelect(attrs={"inline": True}),
    )
    after = forms.CharField(label="After", required=False)
    sort = ServiceChoiceField(
        label="Sort",
        options=[("new", "Newest"), ("old", "Oldest")],
        widget=forms.Select(attrs={"no_empty_choice": True}),
    )


def test_a_follow_up_is_shown_inside_its_question_and_not_again() -> None:
    html = str(FollowUpForm(initial={"seen": "yes", "basis": "saw"}))
    assert html.count('<div class="govuk-form-group') == 3  # seen (with basis), after, sort
    assert html.count('name="basis"') == 2
    assert html.index('name="seen"') < html.index('name="basis"') < html.index('name="after"')
    assert 'id="basis-told" name="basis" type="radio" value="told">' in html
    assert 'id="basis-saw" name="basis" type="radio" value="saw" checked>' in html
    assert 'class="govuk-radios govuk-radios--small govuk-radios--inline"' in html
    assert 'id="seen" name="seen" type="radio" value="yes" checked' in html
    form = FollowUpForm(post(seen="yes", basis="told", sort="old"))
    assert form.is_valid() and form.cleaned_data["basis"] == "told"


def test_a_select_may_have_no_empty_choice() -> None:
    html = str(FollowUpForm())
    select = html[html.index('<select class="govuk-select" id="sort"') :]
    assert select.index('<option value="new">Newest</option>') < select.index("</select>")
    assert '<option value="">' not in select[: select.index("</select>")]
