from django.urls import path

from safehub.people import views

app_name = "people"

urlpatterns = [
    path("break-glass-reviews/", views.break_glass_reviews, name="break_glass_reviews"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/break-glass/", views.break_glass_view, name="break_glass"),
]
