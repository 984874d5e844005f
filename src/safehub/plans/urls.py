from django.urls import path

from safehub.plans import evidence_views, governance_views, views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:public_id>/", views.plan, name="plan"),
    path("<uuid:public_id>/as-at/", views.as_at, name="as_at"),
    path("<uuid:public_id>/compare/", views.compare, name="compare"),
    path("<uuid:public_id>/not-updated/", views.not_updated, name="not_updated"),
    path("<uuid:public_id>/export.csv", views.export_csv, name="export_csv"),
    path("<uuid:public_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<uuid:public_id>/actions/new/", views.action_new, name="action_new"),
    path("<uuid:public_id>/reports/", governance_views.report_list, name="reports"),
    path("<uuid:public_id>/reports/new/", governance_views.report_new, name="report_new"),
    path("actions/<uuid:public_id>/", views.action, name="action"),
    path("actions/<uuid:public_id>/update/", views.action_update, name="action_update"),
    path("actions/<uuid:public_id>/edit/", views.action_edit, name="action_edit"),
    path("actions/<uuid:public_id>/evidence/", evidence_views.evidence_new, name="evidence_new"),
    path(
        "actions/<uuid:public_id>/evidence/<uuid:evidence_id>/",
        evidence_views.evidence_file,
        name="evidence_file",
    ),
    path("actions/<uuid:public_id>/measures/", evidence_views.measure_new, name="measure_new"),
    path(
        "actions/<uuid:public_id>/measures/<uuid:measure_id>/",
        evidence_views.reading_new,
        name="reading_new",
    ),
    path("governance/", governance_views.governance, name="governance"),
    path("governance/forward-plan/new/", governance_views.forward_new, name="forward_new"),
    path("governance/<uuid:public_id>/", governance_views.body, name="body"),
    path(
        "governance/<uuid:public_id>/meetings/new/",
        governance_views.meeting_new,
        name="meeting_new",
    ),
    path("governance/meetings/<uuid:public_id>/", governance_views.meeting, name="meeting"),
    path(
        "governance/meetings/<uuid:public_id>/resolutions/new/",
        governance_views.resolution_new,
        name="resolution_new",
    ),
    path("reports/<uuid:public_id>/", governance_views.report, name="report"),
    path("reports/<uuid:public_id>/pdf/", governance_views.report_pdf, name="report_pdf"),
]
