from django.contrib.auth import views as auth_views
from django.urls import path

from safehub.accounts import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("held/<uuid:public_id>/", views.held_submission, name="held_submission"),
    path("password/", admin_views.password_change, name="password_change"),
    path("users/", admin_views.users, name="users"),
    path("users/new/", admin_views.user_new, name="user_new"),
    path("users/<uuid:public_id>/", admin_views.user, name="user"),
    path("users/<uuid:public_id>/edit/", admin_views.user_edit, name="user_edit"),
    path("users/<uuid:public_id>/active/", admin_views.user_active, name="user_active"),
    path(
        "users/<uuid:public_id>/two-factor/",
        admin_views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path(
        "users/<uuid:public_id>/password/",
        admin_views.user_reset_password,
        name="user_reset_password",
    ),
]
