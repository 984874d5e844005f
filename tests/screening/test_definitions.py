"""Loading tool files: the shipped tools, refusal of broken files, and the registry."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps

from safehub.screening import registry
from safehub.screening.definitions import ToolDefinitionError, load_tool_file
from safehub.screening.registry import DEFAULT_TOOL_DIR
from safehub.screening.rules import score

WM_FILE = DEFAULT_TOOL_DIR / "wm-cse-2014.v1.yaml"
DOMAINS_FILE = DEFAULT_TOOL_DIR / "cse-domains-2014.v1.yaml"
WM_DATA = yaml.safe_load(WM_FILE.read_text(encoding="utf-8"))


def write_tool(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    path = directory / (name or f"{data['id']}.v{data['version']}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def wm_data(change: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
    """A fresh copy of the shipped wm-cse-2014 data, changed by `change`."""
    data = copy.deepcopy(WM_DATA)
    if change is not None:
        change(data)
    return data


def test_shipped_wm_tool_loads() -> None:
    tool = load_tool_file(WM_FILE)
    assert (tool.id, tool.version, tool.uses_age) == ("wm-cse-2014", 1, True)
    assert [group.title for group in tool.groups] == [
        "Disclosure",
        "Part A — significant risk indicators",
        "Part B — risk indicators",
    ]
    assert [len(group.indicators) for group in tool.groups] == [1, 8, 15]
    missing = tool.indicator("missing_repeat")
    assert missing.option_ids() == ("not_present", "current", "historic")
    assert missing.option("current").label == "Yes — now or in the last 6 months"
    assert (missing.group_id, missing.level, missing.allows_mark) == ("part_a", None, True)
    assert all(ind.guidance.strip() for ind in tool.indicators())
    assert [c.id for c in tool.categories_by_severity()] == [
        "no_current_risk",
        "at_risk",
        "significant_risk",
    ]
    assert tool.category("at_risk").next_step == (
        "Discuss with your designated safeguarding lead; refer to the MASH with this screening."
    )
    assert [c.creates_referral for c in tool.categories_by_severity()] == [False, True, True]


def test_shipped_domain_tool_loads() -> None:
    tool = load_tool_file(DOMAINS_FILE)
    assert (tool.id, tool.version, tool.uses_age) == ("cse-domains-2014", 1, False)
    assert [group.title for group in tool.groups] == [
        "Health",
        "Behaviour",
        "Relationships",
        "Missing",
    ]
    assert len(tool.indicators()) == 21
    assert [ind.id for ind in tool.select_indicators(level="Low")] == [
        "secretive_phone_use",
        "late_return",
    ]
    assert len(tool.select_indicators(level="High")) == 7
    assert [c.id for c in tool.categories_by_severity()] == ["low", "medium", "high"]


def test_lookups_refuse_unknown_ids() -> None:
    tool = load_tool_file(DOMAINS_FILE)
    with pytest.raises(KeyError, match="no indicator 'nope'"):
        tool.indicator("nope")
    with pytest.raises(KeyError, match="no result category 'nope'"):
        tool.category("nope")
    with pytest.raises(KeyError, match="'maybe' is not an answer option"):
        tool.indicator("late_return").option("maybe")


def test_thresholds_live_in_the_tool_file(tmp_path: Path) -> None:
    def lower_part_b_threshold(data: dict[str, Any]) -> None:
        data["version"] = 2
        rule = next(r for r in data["rules"] if r["id"] == "part_b_three_or_more")
        rule["when"]["count"]["at_least"] = 2

    tool = load_tool_file(write_tool(tmp_path, wm_data(lower_part_b_threshold)))
    answers = {ind.id: ind.option_ids()[-1] for ind in tool.indicators()}
    answers.update({i.id: "no" for i in tool.group("part_b").indicators})
    answers.update(disclosed_exploitation="no", drug_misuse="yes", alcohol_misuse="yes")
    answers.update({i.id: "not_present" for i in tool.group("part_a").indicators})
    result = score(tool, answers, screening_date=date(2015, 4, 13), date_of_birth=date(2000, 1, 1))
    assert (result.tool_version, result.category.id) == (2, "at_risk")


def _set(path: list[str | int], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _rule(index: int, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["rules"][index].update(changes)

    return change


BROKEN = [
    # (case, change to the shipped data, text the error must contain)
    ("missing version", lambda d: d.pop("version"), "'version' is a required property"),
    ("unquoted yes read as true", _set(["answer_sets", "yes_no", 0, "id"], True), "True is not"),
    (
        "category without next step",
        lambda d: d["categories"][1].pop("next_step"),
        "categories[1]: 'next_step' is a required property",
    ),
    ("blank next step", _set(["categories", 0, "next_step"], "  "), "categories[0].next_step"),
    (
        "unknown condition operator",
        _rule(1, when={"most": {"group": "part_a"}}),
        "rules[1].when: Additional properties are not allowed ('most' was unexpected)",
    ),
    (
        "count without a threshold",
        _rule(1, when={"count": {"group": "part_a", "in": ["current"]}}),
        "'at_least' is a required property",
    ),
    (
        "duplicate indicator id",
        _set(["groups", 2, "indicators", 0, "id"], "missing_repeat"),
        "indicator id 'missing_repeat' is used more than once",
    ),
    (
        "rule naming an unknown category",
        _rule(0, category="urgent"),
        "rule 'disclosure' names unknown category 'urgent'",
    ),
    (
        "rule naming an unknown indicator",
        _rule(0, when={"answer": {"indicator": "disclosed", "in": ["yes"]}}),
        "rule 'disclosure': names unknown indicator 'disclosed'",
    ),
    (
        "rule naming an unknown group",
        _rule(1, when={"count": {"group": "part_c", "in": ["current"], "at_least": 1}}),
        "rule 'part_a_current': names unknown group 'part_c'",
    ),
    (
        "rule with an answer the indicator does not have",
        _rule(0, when={"answer": {"indicator": "disclosed_exploitation", "in": ["current"]}}),
        "'current' is not an answer option of 'disclosed_exploitation'",
    ),
    (
        "count that can never match",
        _rule(4, when={"count": {"group": "part_b", "in": ["yes"], "at_least": 16}}),
        "needs at least 16 but selects only 15 indicators",
    ),
    (
        "rules out of severity order",
        _rule(4, category="significant_risk"),
        "rule 'part_b_three_or_more' gives a more serious result than rule 'part_a_historic'",
    ),
    (
        "last rule is not always",
        _rule(6, when={"age_at_most": 18}),
        "the last rule ('otherwise') must be `always: true`",
    ),
    (
        "unknown answer set",
        _set(["groups", 1, "answers"], "timing"),
        "indicator 'missing_repeat' uses unknown answer set 'timing'",
    ),
    (
        "two categories with one severity",
        _set(["categories", 0, "severity"], 2),
        "category severity '2' is used more than once",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_broken_tool_files_are_refused(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], expected: str
) -> None:
    path = write_tool(tmp_path, wm_data(change), name="draft.yaml")
    with pytest.raises(ToolDefinitionError) as caught:
        load_tool_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: invalid screening tool:")
    assert expected in message


def test_a_key_repeated_in_one_mapping_is_refused(tmp_path: Path) -> None:
    text = WM_FILE.read_text(encoding="utf-8").replace(
        "    severity: 3\n", "    severity: 3\n    severity: 1\n", 1
    )
    path = tmp_path / "wm-cse-2014.v1.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ToolDefinitionError, match="key 'severity' appears twice"):
        load_tool_file(path)


def test_not_yaml_and_missing_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ToolDefinitionError, match=r"bad\.yaml: not valid YAML"):
        load_tool_file(bad)
    with pytest.raises(ToolDefinitionError, match=r"absent\.yaml: cannot read the tool file"):
        load_tool_file(tmp_path / "absent.yaml")


# The registry reads the directories named in settings.


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


def test_registry_defaults_to_the_shipped_tools(settings: Any) -> None:
    del settings.SAFEHUB_SCREENING_TOOL_DIRS
    assert registry.tool_dirs() == [DEFAULT_TOOL_DIR]
    assert [(t.id, t.version) for t in registry.list_tools()] == [
        ("cse-domains-2014", 1),
        ("wm-cse-2014", 1),
    ]


def test_registry_gives_the_latest_or_the_asked_version(tmp_path: Path, settings: Any) -> None:
    write_tool(tmp_path, wm_data())
    write_tool(tmp_path, wm_data(_set(["version"], 2)))
    settings.SAFEHUB_SCREENING_TOOL_DIRS = [tmp_path]
    assert registry.get_tool("wm-cse-2014").version == 2
    assert registry.get_tool("wm-cse-2014", 1).version == 1
    assert [(t.id, t.version) for t in registry.list_tools()] == [("wm-cse-2014", 2)]
    with pytest.raises(registry.UnknownTool, match="has no version 3 \\(has: 1, 2\\)"):
        registry.get_tool("wm-cse-2014", 3)
    with pytest.raises(registry.UnknownTool, match="unknown screening tool 'nope'"):
        registry.get_tool("nope")


def test_registry_refuses_a_misnamed_file(tmp_path: Path, settings: Any) -> None:
    write_tool(tmp_path, wm_data(), name="wm-cse-2014.yaml")
    settings.SAFEHUB_SCREENING_TOOL_DIRS = [tmp_path]
    with pytest.raises(ToolDefinitionError, match="must be named wm-cse-2014.v1.yaml"):
        registry.load_all()


def test_registry_refuses_one_version_defined_twice(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_tool(tmp_path / "a", wm_data())
    write_tool(tmp_path / "b", wm_data())
    settings.SAFEHUB_SCREENING_TOOL_DIRS = [tmp_path / "a", tmp_path / "b"]
    with pytest.raises(ToolDefinitionError, match="wm-cse-2014 version 1 is also defined in"):
        registry.load_all()


def test_registry_refuses_a_missing_directory(tmp_path: Path, settings: Any) -> None:
    settings.SAFEHUB_SCREENING_TOOL_DIRS = [tmp_path / "nowhere"]
    with pytest.raises(ToolDefinitionError, match="directory does not exist"):
        registry.get_tool("wm-cse-2014")


def test_a_broken_tool_file_stops_start_up(tmp_path: Path, settings: Any) -> None:
    write_tool(tmp_path, wm_data(_rule(0, category="urgent")))
    settings.SAFEHUB_SCREENING_TOOL_DIRS = [tmp_path]
    with pytest.raises(ToolDefinitionError, match="names unknown category 'urgent'"):
        apps.get_app_config("screening").ready()
