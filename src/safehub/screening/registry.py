"""The screening tools this deployment offers, loaded once from their data files.

Tool files are read from every directory in `settings.SAFEHUB_SCREENING_TOOL_DIRS` (the
package's own `tools/` directory when the setting is absent). Each file is named
`<tool id>.v<version>.yaml`. Every version stays loadable so completed screenings, which pin a
tool id and version, can always be shown with the tool they were scored with.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from safehub.screening.definitions import ScreeningTool, ToolDefinitionError, load_tool_file

DEFAULT_TOOL_DIR = Path(__file__).with_name("tools")

_lock = threading.Lock()
_tools: dict[tuple[str, int], ScreeningTool] | None = None


class UnknownTool(LookupError):
    """No loaded screening tool has the id (or the id and version) asked for."""


def tool_dirs() -> list[Path]:
    """The directories tool files are loaded from, as configured."""
    configured: Iterable[str | Path] | None = None
    if settings.configured:
        configured = getattr(settings, "SAFEHUB_SCREENING_TOOL_DIRS", None)
    return [Path(directory) for directory in (configured or [DEFAULT_TOOL_DIR])]


def _read_all(directories: list[Path]) -> dict[tuple[str, int], ScreeningTool]:
    tools: dict[tuple[str, int], ScreeningTool] = {}
    origin: dict[tuple[str, int], Path] = {}
    for directory in directories:
        if not directory.is_dir():
            raise ToolDefinitionError(f"{directory}: screening tool directory does not exist")
        for path in sorted(directory.glob("*.yaml")):
            tool = load_tool_file(path)
            expected = f"{tool.id}.v{tool.version}.yaml"
            if path.name != expected:
                raise ToolDefinitionError(
                    f"{path}: holds {tool.id} version {tool.version}, so must be named {expected}"
                )
            key = (tool.id, tool.version)
            if key in tools:
                raise ToolDefinitionError(
                    f"{path}: {tool.id} version {tool.version} is also defined in {origin[key]}"
                )
            tools[key] = tool
            origin[key] = path
    return tools


def load_all() -> None:
    """Load and check every tool file now (call it at start-up); a no-op once loaded.

    Refuses (ToolDefinitionError, naming the file) a missing directory, any invalid tool file, a
    file not named `<id>.v<version>.yaml`, or two files defining the same tool version.
    """
    global _tools
    with _lock:
        if _tools is None:
            _tools = _read_all(tool_dirs())


def _loaded() -> dict[tuple[str, int], ScreeningTool]:
    load_all()
    assert _tools is not None
    return _tools


def get_tool(tool_id: str, version: int | None = None) -> ScreeningTool:
    """The tool with this id at `version`, or its latest version when `version` is None.

    Refuses (UnknownTool) an id no tool file defines, or a version of it that does not exist.
    """
    tools = _loaded()
    versions = sorted(v for (i, v) in tools if i == tool_id)
    if not versions:
        known = ", ".join(sorted({i for (i, _) in tools})) or "none"
        raise UnknownTool(f"unknown screening tool {tool_id!r} (known tools: {known})")
    if version is None:
        return tools[(tool_id, versions[-1])]
    if version not in versions:
        listed = ", ".join(str(v) for v in versions)
        raise UnknownTool(f"screening tool {tool_id!r} has no version {version} (has: {listed})")
    return tools[(tool_id, version)]


def list_tools() -> list[ScreeningTool]:
    """The latest version of every tool, sorted by tool id."""
    tools = _loaded()
    return [get_tool(tool_id) for tool_id in sorted({i for (i, _) in tools})]


def reset() -> None:
    """Forget the loaded tools so the next call reads the files again (for tests)."""
    global _tools
    with _lock:
        _tools = None
