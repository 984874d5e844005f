"""`safehub score_screening`: score an answers file with a screening tool, without a database.

Useful to check a new tool version against worked examples before it is released:

    safehub score_screening --tool wm-cse-2014 --answers answers.json [--version 1] [--json]
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.screening import registry
from safehub.screening.definitions import ScreeningTool, ToolDefinitionError
from safehub.screening.rules import InvalidAnswers, ScreeningResult, score

FILE_KEYS = ("screening_date", "child_date_of_birth", "answers")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(field: str, value: object) -> date:
    """A YYYY-MM-DD date from the answers file; refuses anything else, naming the field."""
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CommandError(f"{field}: {value!r} is not a date in the form YYYY-MM-DD")


def read_answers_file(path: Path) -> tuple[date, date | None, dict[str, Any]]:
    """The screening date, date of birth (None if absent or null) and answers in a file.

    Refuses (CommandError) a file that cannot be read, is not JSON, is not an object with
    exactly the keys screening_date, child_date_of_birth (optional) and answers, or holds dates
    not written YYYY-MM-DD or answers that are not an object.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read answers file {path}: {error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from error
    if not isinstance(data, dict):
        raise CommandError(f"{path} must hold a JSON object with keys {', '.join(FILE_KEYS)}")
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        raise CommandError(
            f"{path}: unknown key(s) {', '.join(unknown)}; expected {', '.join(FILE_KEYS)}"
        )
    for key in ("screening_date", "answers"):
        if key not in data:
            raise CommandError(f"{path}: {key} is missing")
    if not isinstance(data["answers"], dict):
        raise CommandError(f"{path}: answers must be an object of indicator id to answer")
    screening_date = _parse_date("screening_date", data["screening_date"])
    raw_birth = data.get("child_date_of_birth")
    birth = None if raw_birth is None else _parse_date("child_date_of_birth", raw_birth)
    return screening_date, birth, data["answers"]


def describe(
    tool: ScreeningTool,
    result: ScreeningResult,
    answers: dict[str, Any],
    screening_date: date,
) -> str:
    """A result as a person reads it: category, deciding rule, counted indicators, next step."""
    age = "" if result.age_at_screening is None else f"; age {result.age_at_screening}"
    lines = [
        f"{tool.title} ({tool.id}, version {tool.version})",
        f"Screening date {screening_date.isoformat()}{age}",
        "",
        f"Result: {result.category.label}",
        f"  {result.category.meaning}",
        f"Decided by rule {result.rule_id}: {result.rule_description}",
    ]
    if result.indicators:
        lines.append("Indicators counted:")
        for indicator_id in result.indicators:
            indicator = tool.indicator(indicator_id)
            answer = indicator.option(answers[indicator_id]).label
            lines.append(f"  - {indicator_id}: {indicator.label} ({answer})")
    else:
        lines.append("Indicators counted: none")
    lines.append(f"Next step: {result.category.next_step}")
    referral = "yes" if result.category.creates_referral else "no"
    lines.append(f"Creates a MASH referral: {referral}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Score a JSON answers file (screening_date, child_date_of_birth, answers) with a "
        "screening tool and print the result, the rule that decided it and the next step."
    )
    # Scoring is pure: no system checks, no database.
    requires_system_checks: list[str] = []

    def add_base_argument(self, parser: CommandParser, *args: Any, **kwargs: Any) -> None:
        # --version here means the tool version, not Django's version.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tool", required=True, help="Tool id, e.g. wm-cse-2014.")
        parser.add_argument(
            "--version", type=int, default=None, help="Tool version (default: the latest)."
        )
        parser.add_argument(
            "--answers", required=True, type=Path, help="JSON file with the answers to score."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        """Print the scored result; refuses (CommandError, non-zero exit) an unknown tool or
        version, an unreadable or invalid answers file, bad dates, or answers that fail
        validation (unknown, missing or invalid), naming each problem."""
        try:
            tool = registry.get_tool(options["tool"], options["version"])
        except (registry.UnknownTool, ToolDefinitionError) as error:
            raise CommandError(str(error)) from error
        screening_date, birth, answers = read_answers_file(options["answers"])
        try:
            result = score(tool, answers, screening_date=screening_date, date_of_birth=birth)
        except InvalidAnswers as error:
            listed = "\n".join(f"  - {problem.message}" for problem in error.problems)
            raise CommandError(f"the answers cannot be scored:\n{listed}") from error
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            self.stdout.write(describe(tool, result, answers, screening_date))
