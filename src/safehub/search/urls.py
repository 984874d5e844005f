from django.urls import path

from safehub.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("merge/", views.merge, name="merge"),
]
