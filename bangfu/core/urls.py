from django.urls import path

from bangfu.accounts import views as account_views

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Top-level names for settings.LOGIN_URL / LOGOUT_REDIRECT_URL ("login"); the same pages are
    # also accounts:login and accounts:logout.
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
]
