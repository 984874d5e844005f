"""`safehub score_screening`: readable and JSON results, and every refusal. No database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.screening import registry

SAFEHUB = Path(sys.executable).with_name("safehub")


def wm_answers(**changes: str) -> dict[str, str]:
    tool = registry.get_tool("wm-cse-2014")
    answers = {ind.id: "no" for ind in tool.indicators()}
    answers.update({ind.id: "not_present" for ind in tool.group("part_a").indicators})
    answers.update(changes)
    return answers


def answers_file(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "answers.json"
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def screening(**changes: str) -> dict[str, Any]:
    return {
        "screening_date": "2015-04-13",
        "child_date_of_birth": "2001-06-30",
        "answers": wm_answers(**changes),
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("score_screening", *args, stdout=out)
    return out.getvalue()


def test_prints_a_readable_result(tmp_path: Path) -> None:
    path = answers_file(tmp_path, screening(missing_repeat="historic"))
    output = run("--tool", "wm-cse-2014", "--answers", str(path))
    assert "West Midlands regional CSE screening tool (wm-cse-2014, version 1)" in output
    assert "Screening date 2015-04-13; age 13" in output
    assert "Result: Significant risk" in output
    assert "Decided by rule part_a_historic_aged_13_or_under:" in output
    assert (
        "  - missing_repeat: Repeatedly goes missing or is absent, by day or night "
        "(Yes — but only before the last 6 months)"
    ) in output
    assert "Next step: Refer to the MASH now; if the child is in immediate danger" in output
    assert "Creates a MASH referral: yes" in output


def test_readable_result_without_counted_indicators(tmp_path: Path) -> None:
    path = answers_file(tmp_path, screening())
    output = run("--tool", "wm-cse-2014", "--answers", str(path))
    assert "Result: No current CSE risk" in output
    assert "Indicators counted: none" in output
    assert "Creates a MASH referral: no" in output


def test_prints_one_json_object(tmp_path: Path) -> None:
    answers = screening(drug_misuse="yes", alcohol_misuse="yes", self_harm="yes")
    path = answers_file(tmp_path, answers)
    result = json.loads(
        run("--tool", "wm-cse-2014", "--version", "1", "--answers", str(path), "--json")
    )
    assert result["tool"] == "wm-cse-2014"
    assert result["tool_version"] == 1
    assert result["category"] == "at_risk"
    assert result["category_label"] == "At risk"
    assert result["rule"] == "part_b_three_or_more"
    assert result["indicators"] == ["drug_misuse", "alcohol_misuse", "self_harm"]
    assert result["next_step"].startswith("Discuss with your designated safeguarding lead")
    assert result["creates_referral"] is True
    assert result["age_at_screening"] == 13


def test_a_tool_that_does_not_use_age_needs_no_date_of_birth(tmp_path: Path) -> None:
    tool = registry.get_tool("cse-domains-2014")
    answers = {ind.id: "no" for ind in tool.indicators()} | {"missing_overnight": "possible"}
    path = answers_file(tmp_path, {"screening_date": "2015-04-13", "answers": answers})
    result = json.loads(run("--tool", "cse-domains-2014", "--answers", str(path), "--json"))
    assert (result["category"], result["indicators"]) == ("medium", ["missing_overnight"])


REFUSALS = [
    # (case, file content or None for no file, extra arguments, text the error must contain)
    (
        "unknown tool",
        screening(),
        ["--tool", "wm-cse-2099"],
        "unknown screening tool 'wm-cse-2099'",
    ),
    ("unknown version", screening(), ["--version", "7"], "has no version 7 (has: 1)"),
    (
        "unknown indicator",
        screening() | {"answers": wm_answers(missing_often="yes")},
        [],
        "missing_often: not an indicator of wm-cse-2014 version 1",
    ),
    (
        "missing indicator",
        screening() | {"answers": {k: v for k, v in wm_answers().items() if k != "looked_after"}},
        [],
        "looked_after: no answer given (one of yes, no)",
    ),
    (
        "invalid answer",
        screening(missing_repeat="maybe"),
        [],
        "missing_repeat: answer 'maybe' is not one of not_present, current, historic",
    ),
    ("bad JSON", '{"screening_date": "2015-04-13",', [], "is not valid JSON"),
    ("not an object", "[1, 2]", [], "must hold a JSON object"),
    ("unknown key", screening() | {"answer": {}}, [], "unknown key(s) answer"),
    ("no answers", {"screening_date": "2015-04-13"}, [], "answers is missing"),
    ("answers not an object", screening() | {"answers": []}, [], "answers must be an object"),
    (
        "impossible screening date",
        screening() | {"screening_date": "2015-02-30"},
        [],
        "screening_date: '2015-02-30' is not a date in the form YYYY-MM-DD",
    ),
    (
        "date not written YYYY-MM-DD",
        screening() | {"child_date_of_birth": "30/06/2001"},
        [],
        "child_date_of_birth: '30/06/2001' is not a date",
    ),
    (
        "no date of birth for a tool that uses age",
        screening() | {"child_date_of_birth": None},
        [],
        "child_date_of_birth: wm-cse-2014 uses the child's age",
    ),
    (
        "born after the screening",
        screening() | {"child_date_of_birth": "2016-01-01"},
        [],
        "child_date_of_birth: 2016-01-01 is after the screening date 2015-04-13",
    ),
    ("unreadable file", None, [], "cannot read answers file"),
]


@pytest.mark.parametrize(
    ("content", "extra", "expected"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_refusals_name_the_problem(
    tmp_path: Path, content: Any, extra: list[str], expected: str
) -> None:
    path = tmp_path / "absent.json" if content is None else answers_file(tmp_path, content)
    args = ["--tool", "wm-cse-2014", "--answers", str(path), *extra]
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert expected in str(caught.value)


def test_every_answer_problem_is_listed(tmp_path: Path) -> None:
    answers = wm_answers(missing_repeat="maybe", extra_one="yes")
    del answers["self_harm"]
    path = answers_file(tmp_path, screening() | {"answers": answers})
    with pytest.raises(CommandError) as caught:
        run("--tool", "wm-cse-2014", "--answers", str(path))
    lines = str(caught.value).splitlines()
    assert lines[0] == "the answers cannot be scored:"
    assert [line.split(":")[0].strip(" -") for line in lines[1:]] == [
        "extra_one",
        "missing_repeat",
        "self_harm",
    ]


def run_safehub(*args: str) -> subprocess.CompletedProcess[str]:
    # An unreachable database proves the command never touches one.
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "safehub.config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/absent",
    }
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(SAFEHUB), "score_screening", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_console_script_prints_json(tmp_path: Path) -> None:
    path = answers_file(tmp_path, screening(disclosed_exploitation="yes"))
    completed = run_safehub("--tool", "wm-cse-2014", "--answers", str(path), "--json")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert (result["category"], result["rule"]) == ("significant_risk", "disclosure")
    assert result["indicators"] == ["disclosed_exploitation"]


def test_console_script_exits_non_zero_with_the_message_on_stderr(tmp_path: Path) -> None:
    path = answers_file(tmp_path, screening(older_partner="often"))
    completed = run_safehub("--tool", "wm-cse-2014", "--answers", str(path), "--json")
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert "older_partner: answer 'often' is not one of yes, no" in completed.stderr
