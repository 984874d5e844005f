from django.urls import path

from safehub.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.start, name="start"),
    path("submissions/", views.my_submissions, name="my_submissions"),
    path("draft/<str:draft_id>/child/", views.child, name="child"),
    path("draft/<str:draft_id>/known-child/", views.match, name="match"),
    path("draft/<str:draft_id>/questions/<int:number>/", views.group, name="group"),
    path("draft/<str:draft_id>/check/", views.check, name="check"),
    path("draft/<str:draft_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:public_id>/", views.result, name="result"),
    path("<uuid:public_id>/judgement/", views.judgement, name="judgement"),
    path("approvals/", views.approvals, name="approvals"),
]
