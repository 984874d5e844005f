from django.urls import path

from safehub.drafts import views

app_name = "drafts"

urlpatterns = [
    path("", views.autosave, name="autosave"),
    path("discard/", views.discard, name="discard"),
    path("stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
]
