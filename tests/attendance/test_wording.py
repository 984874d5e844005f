"""The pages show each finding as "Title: sentence": the sentence never repeats the title."""

from __future__ import annotations

from datetime import date, timedelta

from safehub.attendance.rules import Week, detect
from safehub.attendance.wording import TITLES, sentence, summary

MONDAY = date(2025, 9, 8)


def test_no_sentence_repeats_its_rule_title() -> None:
    # 6 of 60 sessions missed: persistently absent.
    weeks = [Week(MONDAY + timedelta(weeks=i), "O\\/\\/\\/\\/\\") for i in range(6)]
    (found,) = [f for f in detect(weeks, ()) if f.rule == "persistent_absence"]
    text = sentence(found)
    assert text.startswith("missed 6 of 60 sessions (10%)")
    assert not text.lower().startswith(TITLES[found.rule].lower())
    assert summary([found]) == f"persistently absent: {text}"
