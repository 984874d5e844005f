"""Load benchmark: gunicorn (2 workers) on PostgreSQL with the `city` loaded, simulated users
across the main journeys, for a fixed time. Prints throughput, p50/p95/p99 per endpoint and
errors, then one JSON line. Not part of CI's pass/fail.

    .venv/bin/python bench/bench_load.py --users 20 --run-time 300

Needs a local PostgreSQL (it creates and drops its own database) and the `bench` extra
(locust). Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOTP_KEY = "3132333435363738393031323334353637383930"
PASSWORD = "load-test-password-1"  # noqa: S105
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PEOPLE_PER_ROLE = 40

SEED = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
from safehub.accounts.models import Agency
from safehub.accounts.services import create_agency, create_user, issue_api_token
school = Agency.objects.filter(agency_type='school').first()
council = create_agency(name='Load Test Council', agency_type='council')
roles = (('referrer', school), ('mash_officer', council), ('cse_practitioner', council))
for role, agency in roles:
    for n in range({PEOPLE_PER_ROLE}):
        u = create_user(username=f'{{role}}{{n}}', password='{PASSWORD}', agency=agency,
                        roles=[role])
        TOTPDevice.objects.create(user=u, name='load', key='{TOTP_KEY}', confirmed=True,
                                  tolerance=2)
from safehub.accounts.models import User
from safehub.cases.services import allocate_case, open_case
from safehub.people.models import Person
manager = create_user(username='manager.load', password=None, agency=council,
                      roles=['cse_manager'])
workers = list(User.objects.filter(username__startswith='cse_practitioner').order_by('pk'))
for i, person in enumerate(Person.objects.order_by('pk')[:400]):
    case = open_case(actor=manager, person=person, referral=None, reason='load test')
    allocate_case(actor=manager, case=case, worker=workers[i % len(workers)],
                  read_version=case.version)
print(issue_api_token(user=create_user(username='api.load', password=None, agency=school,
      roles=['referrer']), name='load'))
"""


def totp_now() -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(TOTP_KEY)):06d}"


def wm_tool() -> Any:
    from safehub.screening.definitions import load_tool_file

    return load_tool_file(ROOT / "src/safehub/screening/tools/wm-cse-2014.v1.yaml")


TOOL = wm_tool()
ANSWERS = {i.id: ("no" if "no" in i.option_ids() else "not_present") for i in TOOL.indicators()}
ANSWERS["missing_repeat"] = "current"
GROUPS = [[i.id for i in g.indicators] for g in TOOL.groups]
counters = {role: itertools.count() for role in ("referrer", "mash_officer", "cse_practitioner")}
SETTINGS: dict[str, Any] = {}


class SignedIn(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        username = f"{self.role}{next(counters[self.role])}"
        page = self.client.get("/accounts/sign-in/", name="sign in")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        self.client.post(
            "/accounts/sign-in/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign in",
        )
        page = self.client.get("/accounts/two-factor/", name="two-factor")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        self.client.post(
            "/accounts/two-factor/",
            {"token": totp_now(), "csrfmiddlewaretoken": token},
            name="two-factor",
        )

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Referrer(SignedIn):
    role = "referrer"
    weight = 3

    @task
    def screen_a_child(self) -> None:
        headers = {"X-CSRFToken": self.csrf(), "Referer": SETTINGS["base"]}
        start = self.client.post(
            "/screening/",
            {"tool": "wm-cse-2014"},
            headers=headers,
            allow_redirects=False,
            name="screening: start",
        )
        draft = start.headers.get("Location", "").split("/")[3]
        n = secrets.randbelow(10**6)
        child = {
            "given_name": "Load",
            "family_name": f"Tester{n}",
            "date_of_birth-day": "1",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2011",
            "sex": "female",
        }
        self.client.post(
            f"/screening/draft/{draft}/child/", child, headers=headers, name="screening: child"
        )
        for number, ids in enumerate(GROUPS, start=1):
            self.client.post(
                f"/screening/draft/{draft}/questions/{number}/",
                {k: ANSWERS[k] for k in ids},
                headers=headers,
                name="screening: question page",
            )
        self.client.post(
            f"/screening/draft/{draft}/check/",
            {"notes": "load"},
            headers=headers,
            name="screening: submit (web)",
        )

    @task
    def my_submissions(self) -> None:
        self.client.get("/screening/submissions/", name="my submissions")


class PartnerSystem(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    @task
    def post_screening(self) -> None:
        n = secrets.randbelow(10**6)
        self.client.post(
            "/api/v1/screenings",
            json={
                "tool": "wm-cse-2014",
                "screening_date": "2026-07-01",
                "answers": ANSWERS,
                "child": {
                    "given_name": "Api",
                    "family_name": f"Load{n}",
                    "date_of_birth": "2011-03-04",
                    "sex": "male",
                },
            },
            headers={"Authorization": f"Bearer {SETTINGS['token']}"},
            name="screening: submit (API)",
        )


class MashOfficer(SignedIn):
    role = "mash_officer"
    weight = 2

    @task
    def queue_and_referral(self) -> None:
        page = self.client.get("/referrals/", name="referral queue")
        ids = re.findall(r'href="/referrals/([0-9a-f-]{36})/"', page.text)
        if ids:
            detail = self.client.get(
                f"/referrals/{secrets.choice(ids[:50])}/", name="referral page"
            )
            people = re.findall(r'href="/people/([0-9a-f-]{36})/"', detail.text)
            if people:
                self.client.get(f"/people/{people[0]}/", name="child's record")


class Practitioner(SignedIn):
    role = "cse_practitioner"
    weight = 2

    @task
    def caseload(self) -> None:
        self.client.get(SETTINGS["caseload_url"], name="caseload")
        self.client.get("/", name="home (tasks)")


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--run-time", type=int, default=300, help="seconds")
    parser.add_argument("--size", default="city", choices=["small", "city"])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--caseload-url", default="/cases/")
    args = parser.parse_args()

    db = f"safehub_load_{os.getpid()}"
    url = f"{args.server}/{db}"
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {db}"], check=True)  # noqa: S603,S607
    env = dict(
        os.environ,
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="bench.settings_load",
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    server = None
    try:
        t0 = time.perf_counter()
        run([str(BIN / "safehub"), "migrate", "-v0"], env)
        run([str(BIN / "safehub"), "build_city", "--size", args.size, "--seed", "1", "--load"], env)
        token = run([str(BIN / "safehub"), "shell", "-c", SEED], env).strip().splitlines()[-1]
        run(
            [str(BIN / "safehub"), "collectstatic", "--noinput", "-v0"],
            dict(env, SAFEHUB_VAR_DIR=str(ROOT / "var")),
        )
        setup_seconds = time.perf_counter() - t0
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "safehub.config.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
            ],
            env=dict(env, SAFEHUB_VAR_DIR=str(ROOT / "var")),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3)
        SETTINGS.update(base=base, token=token, caseload_url=args.caseload_url)
        environment = Environment(
            user_classes=[Referrer, PartnerSystem, MashOfficer, Practitioner],
            host=base,
            events=events,
        )
        runner = environment.create_local_runner()
        runner.start(args.users, spawn_rate=args.users)
        gevent.sleep(args.run_time)
        runner.quit()
        report(environment, args, setup_seconds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        subprocess.run(
            [
                "psql",
                f"{args.server}/postgres",
                "-qc",  # noqa: S603,S607
                f"DROP DATABASE IF EXISTS {db} WITH (FORCE)",
            ],
            check=False,
        )


def report(environment: Environment, args: argparse.Namespace, setup_seconds: float) -> None:
    stats = environment.stats
    rows = []
    print(
        f"\nLoad: {args.users} users for {args.run_time} s, city={args.size}, "
        f"gunicorn 2 workers, PostgreSQL (setup {setup_seconds:.0f} s)"
    )
    print(f"{'endpoint':<28}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    for (name, method), entry in sorted(stats.entries.items()):
        row = {
            "endpoint": name,
            "method": method,
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "rps": round(entry.total_rps, 2),
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
        rows.append(row)
        print(
            f"{name:<28}{row['requests']:>9}{row['errors']:>8}{row['rps']:>8}"
            f"{row['p50_ms']:>7}{row['p95_ms']:>7}{row['p99_ms']:>7}"
        )
    total = stats.total
    print(
        f"{'total':<28}{total.num_requests:>9}{total.num_failures:>8}{round(total.total_rps, 2):>8}"
    )
    print(
        json.dumps(
            {
                "benchmark": "load",
                "users": args.users,
                "seconds": args.run_time,
                "size": args.size,
                "total_requests": total.num_requests,
                "total_errors": total.num_failures,
                "endpoints": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
