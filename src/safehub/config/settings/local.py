"""Local development and the demo: SQLite by default, readable errors, demo logins without 2FA."""

from __future__ import annotations

import os

os.environ.setdefault("SAFEHUB_REQUIRE_2FA", "false")

from safehub.config.settings.base import *  # noqa: E402,F403
from safehub.config.settings.env import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
SAFEHUB_DEMO = True
# The demo's SQLite file lives here; a fresh checkout has no such folder yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
