from django.urls import path

from safehub.analytics import profile_views, scale_views

app_name = "analytics"

urlpatterns: list = [
    # --- profile urls ---
    path("", profile_views.profile, name="profile"),
    path("profile.pdf", profile_views.profile_pdf, name="profile_pdf"),
    path("tables.zip", profile_views.tables_zip, name="tables_zip"),
    path("table/<str:table_id>.csv", profile_views.table_csv, name="profile_csv"),
    path("network.graphml", profile_views.network_graphml, name="network_graphml"),
    path("network.svg", profile_views.network_svg, name="network_svg"),
    # --- scale urls ---
    path("scale/", scale_views.scale, name="scale"),
]
