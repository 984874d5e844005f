from django.urls import path

from safehub.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.start, name="run"),
    path("review/", views.queue, name="queue"),
    path("review/<uuid:public_id>/", views.pair, name="pair"),
    path("cluster/<uuid:public_id>/", views.cluster, name="cluster"),
    path("cluster/<uuid:public_id>/merge/", views.merge, name="merge"),
    path("cluster/<uuid:public_id>/split/", views.split, name="split"),
    path("quality/", views.quality, name="quality"),
    path("quality.csv", views.quality_csv, name="quality_csv"),
]
