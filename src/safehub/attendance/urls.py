from django.urls import path

from safehub.attendance import views

app_name = "attendance"

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert"),
    path("alerts/<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<uuid:public_id>/dismiss/", views.dismiss, name="dismiss"),
    path("alerts/<uuid:public_id>/escalate/", views.escalate, name="escalate"),
    path("officers/<uuid:public_id>/schools/", views.officer_schools, name="officer_schools"),
    path("rules/", views.rules_review, name="rules_review"),
    path("rules/download/", views.rules_review_csv, name="rules_review_csv"),
]
