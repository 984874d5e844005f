from django.urls import path

from safehub.missing import team_views, views

app_name = "missing"

urlpatterns = [
    path("record/", views.find, name="find"),
    path("record/new-child/", views.new_child, name="new_child"),
    path("person/<uuid:public_id>/", views.person_history, name="person"),
    path("person/<uuid:public_id>/episodes/new/", views.new_episode, name="new_episode"),
    path("person/<uuid:public_id>/profile/", team_views.profile, name="profile"),
    path("person/<uuid:public_id>/profile/edit/", team_views.profile_edit, name="profile_edit"),
    path("episode/<uuid:public_id>/found/", views.found, name="found"),
    path("episode/<uuid:public_id>/return-interview/", views.return_interview, name="rhi"),
    path("return-interviews/", team_views.rhi_due, name="rhi_due"),
    path("alerts/", team_views.alert_list, name="alerts"),
    path("findings/", team_views.findings, name="findings"),
    path("flagged-locations/", team_views.flagged_locations, name="flagged_locations"),
]
