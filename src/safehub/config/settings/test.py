"""Settings for the test suite (SQLite unless DATABASE_URL names PostgreSQL)."""

from __future__ import annotations

import os

os.environ.setdefault("SAFEHUB_REQUIRE_2FA", "true")

from safehub.config.settings.base import *  # noqa: E402,F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# django-axes breaks client.login() in tests; the lockout test switches it back on.
AXES_ENABLED = False
SAFEHUB_DEMO = False
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
