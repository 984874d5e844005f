from django.urls import path

from safehub.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/rating/", views.rate, name="rate"),
    path("<uuid:public_id>/decision/", views.decide, name="decide"),
    path("<uuid:public_id>/milestone/", views.milestone, name="milestone"),
    path("<uuid:public_id>/information-requests/", views.ask, name="ask"),
    path(
        "<uuid:public_id>/information-requests/<uuid:request_id>/answer/",
        views.answer,
        name="answer",
    ),
]
