"""Local development and the demo: SQLite by default, GOV.UK error pages (DEBUG only when set),
demo logins without 2FA."""

from __future__ import annotations

import os

os.environ.setdefault("SAFEHUB_REQUIRE_2FA", "false")

from safehub.config.settings.base import *  # noqa: E402,F403
from safehub.config.settings.env import env_bool  # noqa: E402

# The demo runs as users would see it: GOV.UK error pages, never Django's debug pages.
# Set DEBUG=true to develop with them.
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
SAFEHUB_DEMO = True
# The demo city is synthetic: its published comparators are a real authority's (SAFEHUB_HOME_LA),
# shown under the demo's own name.
SAFEHUB_HOME_LA_NAME = os.environ.get("SAFEHUB_HOME_LA_NAME", "Safehub City")
# The demo's SQLite file lives here; a fresh checkout has no such folder yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
# With DEBUG off, runserver serves no static files: WhiteNoise does, from the finders
# (WHITENOISE_USE_FINDERS in base), picking up rebuilt CSS without collectstatic.
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
