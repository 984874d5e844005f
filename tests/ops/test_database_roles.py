"""Two PostgreSQL logins: the application's own login cannot switch the access log off.

On PostgreSQL, a scratch database is set up the way docs/operations.md says: the operator's
`safehub create_database_roles` script run by a superuser, then `safehub migrate` with
DATABASE_URL (the application's login) and DATABASE_OWNER_URL (the owner). The application's
login is then tried directly with psycopg: it cannot disable or drop the append-only triggers,
delete, update or truncate the access log, or alter anything, while it can add to the log and
read it, and the whole application (the demo load, sign-in, a backup) runs on it. The owner
(which the single login of the old install was) can do all of those things: that is the gap
the second login closes. Role names are random; the database and roles are dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import errors

from safehub.ops.database_roles import (
    DatabaseRoleError,
    app_privilege_statements,
    role_setup_script,
)
from tests.scratch_db import BIN, ROOT, safehub, scratch_database

BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgres")


def postgres_only(test: Callable[..., None]) -> Callable[..., None]:
    """Marked postgres_only, and skipped unless the run's DATABASE_URL is PostgreSQL."""
    test = pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://...")(test)
    return pytest.mark.postgres_only(test)


TEST_SETTINGS = "safehub.config.settings.test"
LOCAL = "safehub.config.settings.local"  # load_demo needs the demo settings


# --- the SQL itself (any engine) -------------------------------------------------------------


def test_the_role_script_makes_two_plain_logins_and_a_database_owned_by_the_owner() -> None:
    script = role_setup_script(owner="safehub_owner", app="safehub_app", database="safehub")
    assert 'CREATE DATABASE "safehub" OWNER "safehub_owner"' in script
    assert 'ALTER ROLE "safehub_app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE' in script
    assert 'REASSIGN OWNED BY "safehub_app" TO "safehub_owner";' in script
    assert 'GRANT CONNECT, TEMPORARY ON DATABASE "safehub" TO "safehub_app";' in script


@pytest.mark.parametrize(
    ("owner", "app", "database"),
    [
        ("safehub", "safehub", "safehub"),  # one login for both is what we are getting rid of
        ("Safehub_Owner", "safehub_app", "safehub"),
        ("safehub_owner", 'app"; DROP ROLE postgres; --', "safehub"),
        ("safehub_owner", "safehub_app", "safe hub"),
        ("safehub_owner", "safehub_app", "safehub\n"),
    ],
)
def test_the_role_script_refuses_one_login_for_both_and_odd_names(
    owner: str, app: str, database: str
) -> None:
    with pytest.raises(DatabaseRoleError):
        role_setup_script(owner=owner, app=app, database=database)


def test_the_access_log_gets_only_insert_and_select_whatever_came_before() -> None:
    statements = app_privilege_statements("safehub_app")
    audit = [s for s in statements if "audit_accessevent" in s]
    assert audit == [
        'REVOKE ALL ON "audit_accessevent" FROM PUBLIC, "safehub_app"',
        'GRANT SELECT, INSERT ON "audit_accessevent" TO "safehub_app"',
    ]
    # The broad grants and default privileges come first, so the access log's revoke wins.
    assert statements.index(audit[0]) > max(
        i for i, s in enumerate(statements) if "ALL TABLES" in s or "DEFAULT PRIVILEGES" in s
    )
    assert not any("TRUNCATE" in s and s.startswith("GRANT") for s in statements)


def test_an_owner_url_for_another_database_or_engine_is_refused(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as url:
        owner = f"{BASE_URL.rsplit('/', 1)[0]}/some_other_database" if ON_POSTGRES else ""
        owner = owner or "postgres://owner@127.0.0.1:5432/safehub"
        with pytest.raises(AssertionError, match="DATABASE_OWNER_URL"):
            run(url, "migrate", "-v0", owner_url=owner)


# --- the two logins on a real PostgreSQL database ---------------------------------------------


@dataclass(frozen=True)
class Logins:
    owner: str
    app: str
    database: str
    owner_url: str
    app_url: str
    superuser_url: str


def run(
    url: str, *args: str, owner_url: str = "", settings: str = TEST_SETTINGS, **env: str
) -> str:
    """Run `safehub` with DATABASE_URL and DATABASE_OWNER_URL set; fail with its output."""
    environment = dict(
        os.environ,
        DATABASE_URL=url,
        DATABASE_OWNER_URL=owner_url,
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=str(ROOT),
        **env,
    )
    result = subprocess.run(
        [str(BIN / "safehub"), *args], env=environment, capture_output=True, text=True, cwd=ROOT
    )
    if result.returncode != 0:
        raise AssertionError(f"safehub {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def psql(url: str, script: str) -> str:
    result = subprocess.run(
        ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
        input=script,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def logins() -> Iterator[Logins]:
    """A database set up as the operator's guide says, with two fresh randomly named logins.

    Session-scoped, as its set-up runs a migrate: once per xdist worker that runs these tests
    (a module-scoped one would be redone whenever the worker ran another module in between)."""
    server = BASE_URL.rsplit("/", 1)[0]
    host = urlsplit(server).netloc.rsplit("@", 1)[-1]
    suffix = uuid.uuid4().hex[:10]
    owner, app, database = f"safehub_owner_{suffix}", f"safehub_app_{suffix}", f"safehub_{suffix}"
    made = Logins(
        owner=owner,
        app=app,
        database=database,
        owner_url=f"postgres://{owner}@{host}/{database}",
        app_url=f"postgres://{app}@{host}/{database}",
        superuser_url=f"{server}/postgres",
    )
    try:
        script = safehub(
            BASE_URL,
            "create_database_roles",
            "--owner",
            owner,
            "--app",
            app,
            "--database",
            database,
        )
        psql(made.superuser_url, script)
        psql(made.superuser_url, script)  # running it again changes nothing and fails nothing
        run(made.app_url, "migrate", "-v0", owner_url=made.owner_url)
        yield made
    finally:
        psql(
            made.superuser_url,
            f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE);\n'
            f'DROP ROLE IF EXISTS "{app}";\nDROP ROLE IF EXISTS "{owner}";\n',
        )


def privileges_on_audit(logins: Logins) -> set[str]:
    checks = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
    with psycopg.connect(logins.owner_url) as conn:
        row = conn.execute(
            "SELECT "
            + ", ".join(f"has_table_privilege(%s, 'audit_accessevent', '{c}')" for c in checks),
            [logins.app] * len(checks),
        ).fetchone()
    assert row is not None
    return {check for check, held in zip(checks, row, strict=True) if held}


def insert_event(conn: psycopg.Connection, username: str = "someone") -> int:
    row = conn.execute(
        "INSERT INTO audit_accessevent (occurred_at, username, agency_name, action, object_type,"
        " object_id, reason, request_id, channel) VALUES (now(), %s, '', 'view', 'person', '1',"
        " '', '', 'web') RETURNING id",
        [username],
    ).fetchone()
    assert row is not None
    return int(row[0])


TAMPERING = [
    "ALTER TABLE audit_accessevent DISABLE TRIGGER ALL",
    "ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_no_delete",
    "DROP TRIGGER audit_accessevent_no_delete ON audit_accessevent",
    "DROP TRIGGER audit_accessevent_no_truncate ON audit_accessevent",
    "DELETE FROM audit_accessevent",
    "UPDATE audit_accessevent SET reason = 'tampered'",
    "TRUNCATE audit_accessevent",
    "ALTER TABLE audit_accessevent ADD COLUMN note text",
    "ALTER TABLE audit_accessevent OWNER TO CURRENT_USER",
    "DROP TABLE audit_accessevent",
    "ALTER TABLE people_person ADD COLUMN note text",
    "DROP TABLE people_person CASCADE",
    "TRUNCATE people_person CASCADE",
    "CREATE TABLE audit_copy (id int)",
    "CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger"
    " AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql",
    "DELETE FROM django_migrations",
]


@postgres_only
@pytest.mark.parametrize("statement", TAMPERING)
def test_the_application_login_cannot_switch_off_or_rewrite_the_access_log(
    logins: Logins, statement: str
) -> None:
    with psycopg.connect(logins.app_url, autocommit=True) as conn:
        kept = insert_event(conn)
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(statement)
        assert conn.execute(
            "SELECT reason FROM audit_accessevent WHERE id = %s", [kept]
        ).fetchone() == ("",)


@postgres_only
def test_the_application_login_adds_to_the_access_log_and_reads_it(logins: Logins) -> None:
    with psycopg.connect(logins.app_url, autocommit=True) as conn:
        added = insert_event(conn, "reader")
        assert conn.execute(
            "SELECT username FROM audit_accessevent WHERE id = %s", [added]
        ).fetchone() == ("reader",)
    assert privileges_on_audit(logins) == {"SELECT", "INSERT"}
    assert "has exactly its privileges" in run(
        logins.app_url, "grant_app_privileges", "--check", owner_url=logins.owner_url
    )


@postgres_only
def test_the_owner_can_do_all_that_so_only_migrations_log_in_as_it(logins: Logins) -> None:
    """The old install's single login owned the tables, like the owner here: whoever held the
    application's password could switch the trigger off and empty the log."""
    with psycopg.connect(logins.owner_url) as conn:  # one transaction, rolled back at the end
        insert_event(conn)
        conn.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER ALL")
        conn.execute("UPDATE audit_accessevent SET reason = 'tampered'")
        conn.execute("DELETE FROM audit_accessevent")
        conn.execute("DROP TRIGGER audit_accessevent_no_truncate ON audit_accessevent")
        conn.execute("TRUNCATE audit_accessevent")
        assert conn.execute("SELECT count(*) FROM audit_accessevent").fetchone() == (0,)
        conn.rollback()
    with psycopg.connect(logins.app_url) as conn:
        assert conn.execute("SELECT count(*) FROM audit_accessevent").fetchone() != (0,)


@postgres_only
def test_an_older_install_is_caught_and_converted(logins: Logins) -> None:
    """Before: the application's login owns the access log (as the old guide made it) and can
    disable the trigger and delete. `grant_app_privileges --check` says so; the operator's
    script (REASSIGN OWNED) and `safehub migrate` put it right."""
    psql(
        logins.superuser_url.rsplit("/", 1)[0] + f"/{logins.database}",
        f'ALTER TABLE audit_accessevent OWNER TO "{logins.app}";',
    )
    with psycopg.connect(logins.app_url) as conn:
        insert_event(conn)
        conn.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER ALL")
        conn.execute("DELETE FROM audit_accessevent")
        conn.rollback()
    with pytest.raises(AssertionError, match=f"{logins.app} owns tables"):
        run(logins.app_url, "grant_app_privileges", "--check", owner_url=logins.owner_url)
    with pytest.raises(AssertionError, match="still has the wrong privileges"):
        run(logins.app_url, "migrate", "-v0", owner_url=logins.owner_url)

    script = safehub(
        BASE_URL,
        "create_database_roles",
        "--owner",
        logins.owner,
        "--app",
        logins.app,
        "--database",
        logins.database,
    )
    psql(logins.superuser_url, script)
    run(logins.app_url, "migrate", "-v0", owner_url=logins.owner_url)
    with psycopg.connect(logins.app_url, autocommit=True) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER ALL")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_accessevent")
    assert privileges_on_audit(logins) == {"SELECT", "INSERT"}


@postgres_only
def test_tables_made_later_are_covered_and_the_access_log_always_ends_insert_only(
    logins: Logins,
) -> None:
    with psycopg.connect(logins.owner_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE later_table (id bigserial PRIMARY KEY, note text)")
        conn.execute(f'GRANT ALL ON audit_accessevent TO "{logins.app}"')  # a slip by hand
    try:
        with psycopg.connect(logins.app_url, autocommit=True) as conn:
            # Default privileges: a table the owner makes later is usable at once.
            conn.execute("INSERT INTO later_table (note) VALUES ('a')")
            conn.execute("UPDATE later_table SET note = 'b'")
            conn.execute("DELETE FROM later_table")
        assert "UPDATE" in privileges_on_audit(logins)
        with pytest.raises(AssertionError, match="may UPDATE on audit_accessevent"):
            run(logins.app_url, "grant_app_privileges", "--check", owner_url=logins.owner_url)
        run(logins.app_url, "migrate", "-v0", owner_url=logins.owner_url)
        assert privileges_on_audit(logins) == {"SELECT", "INSERT"}
        run(logins.app_url, "grant_app_privileges", owner_url=logins.owner_url)  # idempotent
        assert privileges_on_audit(logins) == {"SELECT", "INSERT"}
    finally:
        with psycopg.connect(logins.owner_url, autocommit=True) as conn:
            conn.execute("DROP TABLE later_table")


@postgres_only
def test_the_whole_application_runs_on_the_application_login(
    logins: Logins, tmp_path: Path
) -> None:
    """The demo load (imports with their temporary tables, record linkage, the register scan),
    sign-in with a lockout record and a session, pages that write the access log, and a
    backup, all as the application's login; a restore runs as the owner."""
    # The demo's settings, without the two-factor step the test settings switched on for us.
    var = {"SAFEHUB_VAR_DIR": str(tmp_path / "var"), "SAFEHUB_REQUIRE_2FA": "false"}
    run(logins.app_url, "load_demo", settings=LOCAL, **var)
    out = run(logins.app_url, "shell", "-c", BROWSE, settings=LOCAL, **var)
    for line in ("signed in 302", "session rows 1", "person page 200", "logged True"):
        assert line in out, out
    backup = tmp_path / "safehub.dump"
    run(logins.app_url, "backup", str(backup), settings=LOCAL, **var)
    assert backup.stat().st_mode & 0o777 == 0o600
    with pytest.raises(AssertionError, match="must be owner"):
        run(logins.app_url, "restore", str(backup), "--yes", settings=LOCAL, **var)
    run(logins.app_url, "restore", str(backup), "--yes", owner_url=logins.owner_url)
    assert privileges_on_audit(logins) == {"SELECT", "INSERT"}


BROWSE = """
from django.contrib.sessions.models import Session
from django.test import Client
from safehub.audit.models import AccessEvent
from safehub.people.models import Person
client = Client(HTTP_HOST="127.0.0.1")
client.post("/accounts/sign-in/", {"username": "mash.officer", "password": "wrong password"})
response = client.post(
    "/accounts/sign-in/", {"username": "mash.officer", "password": "safehub-demo-2026"}
)
print("signed in", response.status_code)
print("session rows", Session.objects.count())
before = AccessEvent.objects.count()
person = Person.objects.first()
print("person page", client.get(f"/people/{person.public_id}/").status_code)
print("logged", AccessEvent.objects.count() > before)
"""
