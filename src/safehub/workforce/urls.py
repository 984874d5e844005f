from django.urls import path

from safehub.workforce import awareness_views, report_views, views

app_name = "workforce"

urlpatterns = [
    path("", views.find, name="find"),
    path("staff/new/", views.staff_new, name="staff_new"),
    path("staff/<uuid:public_id>/", views.staff, name="staff"),
    path("staff/<uuid:public_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<uuid:public_id>/dbs/", views.dbs_new, name="dbs_new"),
    path(
        "staff/<uuid:public_id>/dbs/<uuid:check_id>/status-check/",
        views.status_check,
        name="status_check",
    ),
    path("staff/<uuid:public_id>/training/", views.training_new, name="training_new"),
    path("courses/", views.courses, name="courses"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<uuid:public_id>/", views.session, name="session"),
    path("coverage/", report_views.coverage, name="coverage"),
    path("coverage.csv", report_views.coverage_csv, name="coverage_csv"),
    path("coverage.pdf", report_views.coverage_pdf, name="coverage_pdf"),
    path("coverage/missing/", report_views.gaps, name="gaps"),
    path("cabinet-member/", report_views.cabinet, name="cabinet"),
    path("awareness/", awareness_views.campaigns, name="campaigns"),
    path("awareness/reach/", awareness_views.reach, name="reach"),
    path("awareness/<uuid:public_id>/", awareness_views.campaign, name="campaign"),
]
