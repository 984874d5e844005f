from django.urls import path

from safehub.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.history, name="history"),
    path("new/", views.new, name="new"),
    path("<uuid:public_id>/", views.run_detail, name="run"),
    path("<uuid:public_id>/progress.json", views.run_progress, name="progress"),
    path("<uuid:public_id>/act/", views.act, name="act"),
    path("<uuid:public_id>/rejected.csv", views.rejected_rows, name="rejected"),
]
