"""Top-level URL configuration: one include per domain app."""

from django.urls import include, path

from safehub.accounts import views as account_views
from safehub.api.api import api

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/drafts/", include("safehub.drafts.urls")),
    path("accounts/", include("safehub.accounts.urls")),
    path("people/", include("safehub.people.urls")),
    path("screening/", include("safehub.screening.urls")),
    path("referrals/", include("safehub.referrals.urls")),
    path("cases/", include("safehub.cases.urls")),
    path("missing/", include("safehub.missing.urls")),
    path("plans/", include("safehub.plans.urls")),
    path("imports/", include("safehub.imports.urls")),
    path("attendance/", include("safehub.attendance.urls")),
    path("workforce/", include("safehub.workforce.urls")),
    path("licensing/", include("safehub.licensing.urls")),
    path("linkage/", include("safehub.linkage.urls")),
    path("intelligence/", include("safehub.intelligence.urls")),
    path("profile/", include("safehub.analytics.urls")),
    path("search/", include("safehub.search.urls")),
    path("api/v1/", api.urls),
]

handler403 = "safehub.accounts.views.forbidden"
handler404 = "safehub.accounts.views.not_found"
