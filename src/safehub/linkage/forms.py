"""The data officer's linkage forms, in Safehub's one form system (safehub.govuk_forms):
start a run, decide a pair, split a cluster and merge two."""

from __future__ import annotations

from typing import Any

from safehub.govuk_forms import (
    ChoiceField,
    GovukForm,
    ServiceChoiceField,
    ServiceMultipleChoiceField,
    text,
)
from safehub.linkage.choices import RunMode

CHOOSE_MODE = "Choose which records to link"
CHOOSE_DECISION = "Choose whether these records are the same person"


class RunForm(GovukForm):
    mode = ChoiceField(
        label="Which records should be linked?",
        options=RunMode.choices,
        error_messages={"required": CHOOSE_MODE, "invalid_choice": CHOOSE_MODE},
    )


class PairForm(GovukForm):
    decision = ChoiceField(
        label="Your decision",
        options=[("same", "The same person"), ("different", "Different people")],
        error_messages={"required": CHOOSE_DECISION, "invalid_choice": CHOOSE_DECISION},
    )
    note = text("Note (optional)", rows=2)


class SplitForm(GovukForm):
    """The records to move out; the view checks they are this cluster's."""

    records = ServiceMultipleChoiceField(
        label="Which records are a different person?",
        help_text="They move to a cluster of their own, and later runs keep them apart.",
    )

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["records"].set_options(options)  # type: ignore[attr-defined]


class MergeForm(GovukForm):
    """The cluster to merge with; the view finds it (any cluster may be posted)."""

    other = ServiceChoiceField(label="Clusters with records in the review queue alongside this one")

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].set_options(options)  # type: ignore[attr-defined]
