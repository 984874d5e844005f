"""Production: everything from the environment; refuses to start if unsafe."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from safehub.config.settings.base import *  # noqa: F403
from safehub.config.settings.base import DEBUG, SECRET_KEY
from safehub.config.settings.env import env_bool

UNSAFE_SECRET_KEYS = {"", "local-development-only-not-secret", "test-only-not-secret", "changeme"}

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if SECRET_KEY in UNSAFE_SECRET_KEYS or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters."
    )

SAFEHUB_DEMO = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
