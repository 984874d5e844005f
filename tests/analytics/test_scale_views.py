"""The scale page (/profile/scale/): who may see it, what it shows, its CSV tables, and
Safehub's own figure."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.analytics.scale_selectors import own_figures
from safehub.cases.models import Case
from safehub.people.models import Person
from safehub.policy.roles import Role
from safehub.screening.models import Screening
from tests.analytics.helpers import import_real_files
from tests.cases.helpers import open_case_for
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db

URL = "/profile/scale/"
ALLOWED = (Role.POLICE_INTELLIGENCE, Role.POLICE_ANALYST, Role.BOARD_MEMBER, Role.CSE_MANAGER)


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "imports"
    settings.SAFEHUB_IMPORTS_DIR = str(path)
    settings.SAFEHUB_IMPORTS_INLINE = True
    return path


@pytest.fixture
def published() -> None:
    import_real_files()


@pytest.fixture
def board(client_for: Callable[[User], Client]) -> Client:
    return client_for(make_user(Role.BOARD_MEMBER))


def test_the_url_is_where_the_issue_asks() -> None:
    assert reverse("analytics:scale") == URL


@pytest.mark.parametrize("role", [r for r in Role if r not in ALLOWED])
def test_other_roles_are_refused(client_for: Callable[[User], Client], role: Role) -> None:
    client = client_for(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv", "table": "comparison"}).status_code == 403


def test_signed_out_users_are_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_page_says_so_when_nothing_is_imported(board: Client) -> None:
    response = board.get(URL)
    assert response.status_code == 200
    assert b'data-testid="no-figures"' in response.content


@pytest.mark.parametrize("role", ALLOWED)
def test_the_comparison_with_intervals_funnel_chart_and_caveats(
    published: None, client_for: Callable[[User], Client], role: Role
) -> None:
    response = client_for(make_user(role)).get(
        URL, {"factor": "cse", "year": "2018", "model": "2021"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Coventry 142 / 76,037 = 18.7, exact Poisson 15.7 to 22.0, Wilson 15.8 to 22.0.
    assert "Coventry: 18.7 per 10,000 children (95% interval 15.7 to 22.0)" in page
    assert "15.8 to 22.0" in page
    assert "median 16.9, range 10.6 to 42.7" in page
    assert "Derby" in page and "Tameside" in page
    # The funnel plot and the series chart: accessible SVG with a table beside each.
    for chart in ("funnel", "series"):
        assert f'data-testid="{chart}"' in page
        assert f'<title id="{chart}-title">' in page and f'<desc id="{chart}-desc">' in page
    assert 'data-testid="authorities-table"' in page and 'data-testid="series-table"' in page
    # The caveats beside the comparison, the population vintage, CSE beside CCE and missing.
    assert "identifies and records exploitation" in page
    assert "ons_mid-year_population_estimates_2012_to_2024.csv" in page
    assert 'data-testid="factors-table"' in page and "Child criminal exploitation" in page
    assert 'data-testid="own-table"' in page and "Not the same measure" in page


def test_suppressed_figures_are_marked_not_estimated(published: None, board: Client) -> None:
    # Trafficking is suppressed ('c') for some authorities every year.
    response = board.get(URL, {"factor": "trafficking", "year": "2024", "model": "2025"})
    page = response.content.decode()
    assert "suppressed (small number)" in page


def test_the_2025_model_changes_the_neighbours(published: None, board: Client) -> None:
    page = board.get(URL, {"factor": "cse", "year": "2018", "model": "2025"}).content.decode()
    assert "Wolverhampton" in page and "median 19.8" in page


def test_a_choice_not_on_offer_is_reported_and_the_default_used(
    published: None, board: Client
) -> None:
    response = board.get(URL, {"factor": "bogus", "year": "1066", "model": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose a factor from the list" in page and "Choose a year from the list" in page
    assert "Choose a neighbour model from the list" in page
    assert "Child sexual exploitation, year ending March 2025" in page


def _csv(client: Client, **params: str) -> list[dict[str, str]]:
    response = client.get(URL, {"format": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_every_table_downloads_as_csv(published: None, board: Client) -> None:
    chosen = {"factor": "cse", "year": "2018", "model": "2021"}
    rows = _csv(board, table="comparison", **chosen)
    home = rows[0]
    assert (home["area"], home["count"], home["population"]) == ("Coventry", "142", "76037")
    assert (home["rate_per_10000"], home["poisson_95_low"], home["poisson_95_high"]) == (
        "18.68", "15.73", "22.01"
    )  # fmt: skip
    assert home["population_mid_year"] == "2018" and "2012_to_2024" in home["population_vintage"]
    assert [r["role"] for r in rows] == ["home"] + ["neighbour"] * 10 + ["region", "england"]
    authorities = _csv(board, table="authorities", **chosen)
    assert len(authorities) > 140
    series = _csv(board, table="series", **chosen)
    assert [r["home_rate"] for r in series][:2] == ["18.68", "20.80"]
    factors = _csv(board, table="factors", **chosen)
    cce = [r for r in factors if r["area"] == "Coventry" and r["factor"] == "cce"]
    assert [r["count"] for r in cce][:5] == ["x", "x", "x", "x", "84"]
    own = _csv(board, table="own", **chosen)
    assert own[0]["year_ending_march"] == "2018"


def test_an_unknown_table_is_refused_with_the_list(published: None, board: Client) -> None:
    response = board.get(URL, {"format": "csv", "table": "people"})
    assert response.status_code == 400 and b"comparison" in response.content


def _in_year(screening: Screening, day: date) -> None:
    Screening.objects.filter(pk=screening.pk).update(screening_date=day)


def test_own_figures_count_distinct_children_at_risk_in_the_reporting_year(settings: Any) -> None:
    settings.SAFEHUB_CHILD_POPULATION = 80_000
    referrer = make_user(Role.REFERRER)
    at_risk = make_screening(referrer, missing_repeat="current").screening
    assert at_risk.final_category in ("significant_risk", "at_risk")
    _in_year(at_risk, date(2024, 6, 1))
    # The same child screened again and with a case: still one child.
    again = make_screening(referrer, person=at_risk.person, missing_repeat="current").screening
    _in_year(again, date(2024, 9, 1))
    open_case_for(at_risk.person)
    # A child screened with no current risk is not counted.
    no_risk = make_screening(referrer).screening
    assert no_risk.final_category == "no_current_risk"
    _in_year(no_risk, date(2024, 7, 1))
    # A screening outside the year (April 2025) is not counted ...
    later = make_screening(referrer, missing_repeat="current").screening
    _in_year(later, date(2025, 4, 1))
    # ... but a case open during the year is, even if closed since.
    case = open_case_for(make_screening(referrer).screening.person)
    Case.objects.filter(pk=case.pk).update(
        opened_at=timezone.now().replace(year=2024, month=5, day=1),
        closed_at=timezone.now().replace(year=2025, month=1, day=10),
        status="closed",
    )
    figure = own_figures(2025)
    assert figure.children == 2
    assert figure.population == 80_000 and figure.population_source.startswith("the configured")
    assert figure.rate == pytest.approx(2 / 80_000 * 10_000)
    assert figure.wilson is not None and figure.wilson.contains(figure.rate)  # type: ignore[arg-type]


def test_own_population_defaults_to_the_children_in_the_people_table(settings: Any) -> None:
    settings.SAFEHUB_CHILD_POPULATION = None
    referrer = make_user(Role.REFERRER)
    make_screening(referrer)
    adult = make_screening(referrer).screening.person
    Person.objects.filter(pk=adult.pk).update(date_of_birth=date(2000, 1, 1))
    figure = own_figures(2025)
    assert figure.population == 1
    assert "people table" in figure.population_source
    assert own_figures(2025).children == 0


def test_the_charts_are_well_formed_svg_naming_every_area(published: None) -> None:
    from xml.etree import ElementTree as ET  # noqa: N817

    from safehub.analytics.funnel import funnel_svg, series_svg
    from safehub.analytics.scale_selectors import comparison, series

    svg = "{http://www.w3.org/2000/svg}"
    chosen = comparison("cse", 2018, 2021)
    root = ET.fromstring(funnel_svg(chosen))  # noqa: S314 - our own output
    assert root.get("role") == "img" and root.find(f"{svg}title") is not None
    plotted = [t.text or "" for t in root.iter(f"{svg}title")][1:]
    assert any(t.startswith("Coventry: 18.7 per 10,000 (142 of 76,037)") for t in plotted)
    assert "within the limits" in (root.findtext(f"{svg}desc") or "")
    # Home is a diamond, each neighbour a square (plus one of each in the legend).
    assert len(root.findall(f".//{svg}polygon")) == 2
    assert len(root.findall(f".//{svg}rect")) == 11
    chart = series_svg(series("cse", 2021), "Child sexual exploitation", "Coventry")
    assert ET.fromstring(chart).get("role") == "img"  # noqa: S314
