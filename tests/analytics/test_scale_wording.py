"""The scale page names the partnership as configured and never shows a settings name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safehub.accounts.models import User
from safehub.policy.roles import Role
from tests.analytics.helpers import import_real_files
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/profile/scale/"


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> None:
    settings.SAFEHUB_IMPORTS_DIR = str(tmp_path / "imports")
    settings.SAFEHUB_IMPORTS_INLINE = True


def test_the_home_area_takes_the_configured_name(
    settings: Any, client_for: Callable[[User], Client]
) -> None:
    import_real_files()
    settings.SAFEHUB_HOME_LA_NAME = "Safehub City"
    settings.SAFEHUB_CHILD_POPULATION = None
    page = (
        client_for(make_user(Role.BOARD_MEMBER))
        .get(URL, {"factor": "cse", "year": "2018", "model": "2021"})
        .content.decode()
    )
    assert 'data-testid="headline">Safehub City: 18.7 per 10,000 children' in page
    assert "Safehub City (home)" in page and "Coventry (home)" not in page
    assert "SAFEHUB_" not in page and "docs/" not in page
    assert "no child population has been configured" in page
