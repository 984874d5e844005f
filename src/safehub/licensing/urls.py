from django.urls import path

from safehub.licensing import decision_views, views

app_name = "licensing"

urlpatterns = [
    path("", views.find, name="find"),
    path("drivers/new/", views.driver_new, name="driver_new"),
    path("drivers/<uuid:public_id>/", views.driver, name="driver"),
    path("drivers/<uuid:public_id>/dbs/", views.dbs_new, name="dbs_new"),
    path(
        "drivers/<uuid:public_id>/dbs/<uuid:check_id>/status-check/",
        views.status_check,
        name="status_check",
    ),
    path("drivers/<uuid:public_id>/training/", views.training_new, name="training_new"),
    path(
        "drivers/<uuid:public_id>/national-register/",
        views.register_check,
        name="register_check",
    ),
    path("drivers/<uuid:public_id>/licence/", decision_views.grant, name="grant"),
    path("drivers/<uuid:public_id>/refuse/", decision_views.refuse, name="refuse"),
    path("drivers/<uuid:public_id>/revoke/", decision_views.revoke, name="revoke"),
    path("alerts/", decision_views.alerts, name="alerts"),
    path("overrides/", decision_views.overrides, name="overrides"),
    path("national-register/", decision_views.register_pending, name="register_pending"),
]
