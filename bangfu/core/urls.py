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

from .imports import views as import_views  # noqa: E402

urlpatterns += [
    path("imports/registry/", import_views.RegistryImportView.as_view(), name="imports-registry"),
    path("imports/export/", import_views.RegistryExportView.as_view(), name="imports-export"),
    path("imports/<int:pk>/", import_views.BatchView.as_view(), name="imports-batch"),
    path(
        "imports/<int:pk>/progress/",
        import_views.BatchProgressView.as_view(),
        name="imports-progress",
    ),
    path("imports/<int:pk>/errors/", import_views.BatchErrorsView.as_view(), name="imports-errors"),
    path(
        "imports/assistance/",
        import_views.AssistanceImportView.as_view(),
        name="imports-assistance",
    ),
    path(
        "imports/assistance/export/",
        import_views.AssistanceExportView.as_view(),
        name="imports-assistance-export",
    ),
]

from .attachments import views as attachment_views  # noqa: E402

urlpatterns += [
    path("attachments/<int:pk>/", attachment_views.AttachmentView.as_view(), name="attachment"),
    path(
        "attachments/<int:pk>/delete/",
        attachment_views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "attachments/upload/",
        attachment_views.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
]
