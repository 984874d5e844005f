from django.urls import path

from safehub.intelligence import record_views, views

app_name = "intelligence"

urlpatterns = [
    path("", views.home, name="home"),
    path("persons/new/", record_views.person_new, name="person_new"),
    path("persons/<uuid:public_id>/", views.person, name="person"),
    path("persons/<uuid:public_id>/status/", record_views.person_status, name="person_status"),
    path("persons/<uuid:public_id>/reason/", record_views.person_reason, name="person_reason"),
    path("locations/new/", record_views.location_new, name="location_new"),
    path("locations/<uuid:public_id>/", views.location, name="location"),
    path("vehicles/new/", record_views.vehicle_new, name="vehicle_new"),
    path("vehicles/<uuid:public_id>/", views.vehicle, name="vehicle"),
    path("associations/new/", record_views.association_new, name="association_new"),
    path("associations/<uuid:public_id>/", views.association, name="association"),
    path("disruptions/new/", record_views.disruption_new, name="disruption_new"),
    path(
        "disruptions/<uuid:public_id>/outcome/",
        record_views.disruption_outcome,
        name="disruption_outcome",
    ),
]
