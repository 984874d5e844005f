from django.urls import path

from safehub.cases import casework_views, chronology_views, meeting_views, views

app_name = "cases"

urlpatterns = [
    path("", views.my_caseload, name="my_caseload"),
    path("team/", views.team, name="team"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/allocate/", views.allocate, name="allocate"),
    path("<uuid:public_id>/risk/", views.risk, name="risk"),
    path("<uuid:public_id>/safety-plan/", views.safety_plan, name="safety_plan"),
    path("<uuid:public_id>/close/", views.close, name="close"),
    path("<uuid:public_id>/work/new/", casework_views.intervention, name="intervention"),
    path("<uuid:public_id>/reviews/new/", casework_views.review, name="review"),
    path("<uuid:public_id>/nrm/", casework_views.nrm, name="nrm"),
    path("<uuid:public_id>/factors/", casework_views.factors, name="factors"),
    path(
        "<uuid:public_id>/chronology/new/",
        casework_views.chronology_entry,
        name="chronology_entry",
    ),
    path("<uuid:public_id>/chronology/", chronology_views.chronology, name="chronology"),
    path(
        "<uuid:public_id>/chronology/export.csv",
        chronology_views.chronology_csv,
        name="chronology_csv",
    ),
    path(
        "<uuid:public_id>/chronology/safe-document/",
        chronology_views.safe_document,
        name="chronology_safe",
    ),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<uuid:public_id>/", meeting_views.meeting, name="meeting"),
    path("meetings/<uuid:public_id>/record/", meeting_views.meeting_record, name="meeting_record"),
    path(
        "meetings/<uuid:public_id>/actions/new/",
        meeting_views.meeting_action_new,
        name="meeting_action_new",
    ),
    path("actions/", meeting_views.action_tracker, name="actions"),
    path("actions/<uuid:public_id>/done/", meeting_views.action_complete, name="action_complete"),
]
