"""Screening tools as data: the dataclasses a tool file loads into, and the loader.

A tool file (YAML, one per tool and version, under `screening/tools/`) is checked twice when it
is loaded: against `tool.schema.json` for its shape, then for cross-references the schema cannot
see (unique ids, rules naming categories and indicators that exist, rules ordered from most to
least serious). Either failure raises `ToolDefinitionError` naming the file and every problem.
How a tool file is written is described in `docs/screening-tools.md`; how rule conditions are
evaluated lives in `safehub.screening.rules`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_PATH = Path(__file__).with_name("tool.schema.json")

# A rule condition, exactly as written in the tool file but read-only (see rules.py).
Condition = Mapping[str, Any]


class ToolDefinitionError(Exception):
    """A screening tool file is missing, unreadable, badly shaped or inconsistent."""


@dataclass(frozen=True)
class AnswerOption:
    """One answer an indicator, e.g. `current` ("Yes — now or in the last 6 months")."""

    id: str
    label: str


@dataclass(frozen=True)
class Indicator:
    """One question of the form: a sign of exploitation the practitioner answers."""

    id: str
    label: str
    guidance: str
    options: tuple[AnswerOption, ...]
    group_id: str
    level: str | None
    # Whether answers other than "no"/"not_present" may be marked `evidence` or `concern`.
    allows_mark: bool

    def option_ids(self) -> tuple[str, ...]:
        """The ids of this indicator's answer options, in form order."""
        return tuple(option.id for option in self.options)

    def option(self, option_id: str) -> AnswerOption:
        """The answer option with this id; refuses (KeyError) an id that is not an option."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"{self.id}: {option_id!r} is not an answer option")


@dataclass(frozen=True)
class IndicatorGroup:
    """A section of the form (e.g. "Part A" or the "Health" domain) and its indicators."""

    id: str
    title: str
    guidance: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class ResultCategory:
    """A possible result of a screening, with what it means and what to do next."""

    id: str
    label: str
    meaning: str
    next_step: str
    creates_referral: bool
    # Higher is more serious; unique within a tool.
    severity: int


@dataclass(frozen=True)
class Rule:
    """A scoring rule: if it is the first whose condition matches, its category is the result."""

    id: str
    description: str
    category_id: str
    condition: Condition = field(hash=False)


@dataclass(frozen=True)
class ScreeningTool:
    """One version of one screening tool, as loaded from its file."""

    id: str
    version: int
    title: str
    description: str
    groups: tuple[IndicatorGroup, ...]
    categories: tuple[ResultCategory, ...]
    # Evaluated in order; the first rule whose condition matches decides the result.
    rules: tuple[Rule, ...]
    uses_age: bool
    _indicators: Mapping[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {ind.id: ind for group in self.groups for ind in group.indicators}
        object.__setattr__(self, "_indicators", MappingProxyType(by_id))

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; refuses (KeyError) an id the tool does not have."""
        try:
            return self._indicators[indicator_id]
        except KeyError:
            raise KeyError(f"{self.id} v{self.version} has no indicator {indicator_id!r}") from None

    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of the tool, in form order."""
        return tuple(self._indicators.values())

    def group(self, group_id: str) -> IndicatorGroup:
        """The indicator group with this id; refuses (KeyError) an unknown id."""
        for group in self.groups:
            if group.id == group_id:
                return group
        raise KeyError(f"{self.id} v{self.version} has no group {group_id!r}")

    def category(self, category_id: str) -> ResultCategory:
        """The result category with this id; refuses (KeyError) an unknown id."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(f"{self.id} v{self.version} has no result category {category_id!r}")

    def categories_by_severity(self) -> tuple[ResultCategory, ...]:
        """The result categories from least to most serious."""
        return tuple(sorted(self.categories, key=lambda category: category.severity))

    def select_indicators(
        self,
        *,
        ids: Iterable[str] | None = None,
        group: str | None = None,
        level: str | None = None,
        exclude: Iterable[str] = (),
    ) -> tuple[Indicator, ...]:
        """Indicators matching every filter given (none given: all), minus `exclude`, in form
        order. Unknown ids, groups or levels simply select nothing; the loader refuses them."""
        wanted = None if ids is None else set(ids)
        excluded = set(exclude)
        return tuple(
            ind
            for ind in self._indicators.values()
            if (wanted is None or ind.id in wanted)
            and (group is None or ind.group_id == group)
            and (level is None or ind.level == level)
            and ind.id not in excluded
        )


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key repeated in one mapping (PyYAML keeps the last)."""


def _construct_mapping_once(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one mapping", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_once
)


def _error_place(error: ValidationError) -> str:
    place = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
    return place.lstrip(".") or "(top level)"


def _schema_problems(data: object) -> list[str]:
    problems = []
    for error in sorted(_schema_validator().iter_errors(data), key=lambda e: list(e.path)):
        detail = best_match(error.context) if error.context else error
        hint = ""
        if detail.validator == "type" and isinstance(detail.instance, bool):
            hint = ' (YAML reads unquoted yes/no as true/false: write "yes" and "no")'
        problems.append(f"{_error_place(detail)}: {detail.message}{hint}")
    return problems


def _strip_text(value: Any) -> Any:
    """Parsed YAML with surrounding whitespace (left by folded `>` blocks) removed from text."""
    if isinstance(value, dict):
        return {key: _strip_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strip_text(item) for item in value]
    return value.strip() if isinstance(value, str) else value


def _freeze(value: Any) -> Any:
    """A read-only copy of parsed YAML: mappings become mapping proxies, lists tuples."""
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def _walk(condition: Condition) -> Iterator[tuple[str, Any]]:
    """Every (operator, argument) pair in a condition, nested ones included."""
    for operator, argument in condition.items():
        yield operator, argument
        if operator in ("all", "any"):
            for inner in argument:
                yield from _walk(inner)


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def _build_tool(data: Mapping[str, Any]) -> tuple[ScreeningTool, list[str]]:
    """Turn schema-valid data into a tool, with every problem that makes it unusable."""
    problems: list[str] = []
    answer_sets = {
        name: tuple(AnswerOption(**option) for option in options)
        for name, options in data["answer_sets"].items()
    }
    for name, options in answer_sets.items():
        for repeated in _duplicates(opt.id for opt in options):
            problems.append(f"answer set {name!r} lists option {repeated!r} more than once")

    groups = []
    for group_data in data["groups"]:
        indicators = []
        for ind in group_data["indicators"]:
            set_name = ind.get("answers", group_data.get("answers"))
            if set_name is None:
                problems.append(
                    f"indicator {ind['id']!r} has no answers (set them on it or its group)"
                )
            elif set_name not in answer_sets:
                problems.append(f"indicator {ind['id']!r} uses unknown answer set {set_name!r}")
            indicators.append(
                Indicator(
                    id=ind["id"],
                    label=ind["label"],
                    guidance=ind["guidance"],
                    options=answer_sets.get(set_name or "", ()),
                    group_id=group_data["id"],
                    level=ind.get("level"),
                    allows_mark=ind.get("allows_mark", True),
                )
            )
        groups.append(
            IndicatorGroup(
                group_data["id"], group_data["title"], group_data["guidance"], tuple(indicators)
            )
        )
    # The schema allows exactly the dataclasses' fields on options and categories.
    categories = tuple(ResultCategory(**category) for category in data["categories"])
    rules = tuple(
        Rule(rule["id"], rule["description"], rule["category"], _freeze(rule["when"]))
        for rule in data["rules"]
    )
    uses_age = any(op == "age_at_most" for rule in rules for op, _ in _walk(rule.condition))
    tool = ScreeningTool(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data["description"],
        groups=tuple(groups),
        categories=categories,
        rules=rules,
        uses_age=uses_age,
    )
    return tool, problems + _cross_reference_problems(tool)


def _cross_reference_problems(tool: ScreeningTool) -> list[str]:
    problems = []
    for kind, ids in (
        ("indicator id", [ind.id for group in tool.groups for ind in group.indicators]),
        ("group id", [group.id for group in tool.groups]),
        ("category id", [category.id for category in tool.categories]),
        ("category severity", [str(category.severity) for category in tool.categories]),
        ("rule id", [rule.id for rule in tool.rules]),
    ):
        problems += [f"{kind} {repeated!r} is used more than once" for repeated in _duplicates(ids)]
    problems += [f"category {c.id!r} has no next step" for c in tool.categories if not c.next_step]

    severity = {c.id: c.severity for c in tool.categories}
    previous: Rule | None = None
    for rule in tool.rules:
        if rule.category_id not in severity:
            problems.append(f"rule {rule.id!r} names unknown category {rule.category_id!r}")
        elif previous is not None and previous.category_id in severity:
            if severity[rule.category_id] > severity[previous.category_id]:
                problems.append(
                    f"rule {rule.id!r} gives a more serious result than rule {previous.id!r} "
                    "before it; list rules from most to least serious"
                )
        problems += [f"rule {rule.id!r}: {p}" for p in _condition_problems(tool, rule.condition)]
        previous = rule
    if tool.rules and dict(tool.rules[-1].condition) != {"always": True}:
        problems.append(
            f"the last rule ({tool.rules[-1].id!r}) must be `always: true` so every "
            "screening gets a result"
        )
    for rule in tool.rules[:-1]:
        if dict(rule.condition) == {"always": True}:
            problems.append(f"rule {rule.id!r} always matches, so the rules after it never apply")
    decided = {rule.category_id for rule in tool.rules}
    problems += [
        f"category {c.id!r} is not the result of any rule"
        for c in tool.categories
        if c.id not in decided
    ]
    return problems


def _condition_problems(tool: ScreeningTool, condition: Condition) -> list[str]:
    problems: list[str] = []
    known = {ind.id for ind in tool.indicators()}
    for operator, arg in _walk(condition):
        if operator == "answer":
            if arg["indicator"] not in known:
                problems.append(f"names unknown indicator {arg['indicator']!r}")
                continue
            options = tool.indicator(arg["indicator"]).option_ids()
            problems += [
                f"{value!r} is not an answer option of {arg['indicator']!r}"
                for value in arg["in"]
                if value not in options
            ]
        elif operator == "count":
            named = list(arg.get("indicators", ())) + list(arg.get("exclude", ()))
            problems += [f"names unknown indicator {i!r}" for i in named if i not in known]
            if "group" in arg and arg["group"] not in {g.id for g in tool.groups}:
                problems.append(f"names unknown group {arg['group']!r}")
            if "level" in arg and arg["level"] not in {ind.level for ind in tool.indicators()}:
                problems.append(f"no indicator has level {arg['level']!r}")
            selected = tool.select_indicators(
                ids=arg.get("indicators"),
                group=arg.get("group"),
                level=arg.get("level"),
                exclude=arg.get("exclude", ()),
            )
            if not selected:
                problems.append("a count selects no indicators")
                continue
            counted_options = {opt for ind in selected for opt in ind.option_ids()}
            problems += [
                f"{value!r} is not an answer option of the indicators counted"
                for value in arg["in"]
                if value not in counted_options
            ]
            if arg["at_least"] > len(selected):
                problems.append(
                    f"a count needs at least {arg['at_least']} but selects only "
                    f"{len(selected)} indicators, so it can never match"
                )
    return problems


def load_tool_file(path: Path | str) -> ScreeningTool:
    """Load one tool file and check it fully.

    Refuses (ToolDefinitionError naming the file and each problem) a file that cannot be read,
    is not YAML, repeats a key, breaks the JSON schema, or is inconsistent: duplicate ids,
    rules naming unknown categories, indicators, groups, levels or answers, a category without a
    next step, rules not ordered from most to least serious, or a last rule that is not
    `always: true`.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ToolDefinitionError(f"{path}: cannot read the tool file: {error}") from error
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise ToolDefinitionError(f"{path}: not valid YAML: {error}") from error
    problems = _schema_problems(data)
    if not problems:
        tool, problems = _build_tool(_strip_text(data))
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise ToolDefinitionError(f"{path}: invalid screening tool:\n{listed}")
    return tool
