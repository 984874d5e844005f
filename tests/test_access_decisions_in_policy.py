"""Who may do what is decided in one place, safehub.policy: no other module looks at a
user's roles. (Accounts administration manages roles, the demo and the commands create
users with them; they are the only exceptions.)"""

from __future__ import annotations

import ast
from pathlib import Path

import safehub

SRC = Path(safehub.__file__).parent
ALLOWED = ("policy/", "accounts/", "demo/", "management/commands/", "migrations/")


def role_decisions(source: str) -> list[str]:
    """Each place in `source` that reads a user's roles: Role.X, role_set(), has_role(),
    or a query on role assignments, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Role"
        ):
            found.append(f"{node.lineno}: Role.{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in {"role_set", "has_role"}:
            found.append(f"{node.lineno}: {node.attr}")
        elif isinstance(node, ast.keyword) and (node.arg or "").startswith("role_assignments"):
            found.append(f"{node.lineno}: {node.arg}")
    return found


def test_the_scan_finds_a_role_check() -> None:
    assert role_decisions("if user.has_role(Role.CSE_MANAGER): pass\n")
    assert role_decisions("ok = Role.SYSTEM_ADMIN in user.role_set()\n")
    assert role_decisions("User.objects.filter(role_assignments__role__in=roles)\n")
    assert not role_decisions("if allows(user, Action.CASE_HOLD): pass\n")


def test_no_module_outside_the_policy_decides_by_role() -> None:
    modules = [
        p
        for p in SRC.rglob("*.py")
        if not any(part in p.relative_to(SRC).as_posix() for part in ALLOWED)
    ]
    assert len(modules) > 100  # the scan really found the code
    offenders = {
        p.relative_to(SRC).as_posix(): hits
        for p in modules
        if (hits := role_decisions(p.read_text()))
    }
    assert offenders == {}
