"""Production settings for the load benchmark, which talks plain HTTP on the loopback: the
cookies cannot be Secure there. Never used outside bench/."""

from safehub.config.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
