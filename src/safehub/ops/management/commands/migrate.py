"""`safehub migrate`: Django's migrate, as the schema's owner when DATABASE_OWNER_URL is set.

With an owner configured, the migrations run over the owner's login and, once they have run,
the application's own login (DATABASE_URL) is given exactly its privileges (see
safehub/ops/database_roles.py), so every table a migration adds is covered and the access log
stays INSERT and SELECT only. Without one (SQLite, or a single PostgreSQL login), it is
Django's migrate unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from safehub.ops.database_roles import (
    DatabaseRoleError,
    app_login,
    checked_owner,
    connected_as_owner,
    grant_app_privileges,
    owner_settings,
)


class Command(migrate.Command):
    help = migrate.Command.help + (
        " With DATABASE_OWNER_URL set, runs as that owner, then grants the application's "
        "login (DATABASE_URL) its privileges."
    )

    def execute(self, *args: Any, **options: Any) -> str | None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        if owner_settings() is None or alias != DEFAULT_DB_ALIAS:
            quiet = options.get("verbosity", 1) < 1 or owner_settings() is not None
            if not quiet and connections[alias].vendor == "postgresql":
                self.stderr.write(
                    "DATABASE_OWNER_URL is not set: the tables will belong to DATABASE_URL's "
                    "login, which could then switch off the access log's trigger "
                    "(see docs/operations.md)."
                )
            return super().execute(*args, **options)
        try:
            checked_owner(alias)
            app = app_login(alias)
            with connected_as_owner(alias) as connection:
                output = super().execute(*args, **options)
                if options.get("plan") or options.get("check_unapplied"):
                    return output
                grant_app_privileges(connection, app)
        except DatabaseRoleError as exc:
            raise CommandError(str(exc)) from None
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Granted {app} its privileges (rows only; access log append-only).")
        return output
