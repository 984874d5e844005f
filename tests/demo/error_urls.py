"""The site's URLs plus a page that fails, for the 500 page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from safehub.config.urls import handler403, handler404, urlpatterns  # noqa: F401


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a deliberate failure in safehub/config/settings SAFEHUB_SECRET")


urlpatterns = [path("broken-for-test/", broken), *urlpatterns]
