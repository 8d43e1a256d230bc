from django.urls import path

from . import views

app_name = "accounts"
# `login` and `logout` are also named at the top level (bangfu/core/urls.py), because
# settings.LOGIN_URL and LOGOUT_REDIRECT_URL say "login".
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/token/", views.TokenView.as_view(), name="token"),
]
