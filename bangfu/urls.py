from django.contrib import admin
from django.urls import include, path

api_patterns = [
    path("", include("bangfu.core.api.urls")),  # schema/ and docs/, login required
    path("", include("bangfu.regions.api.urls")),
    path("", include("bangfu.registry.api.urls")),
    path("", include("bangfu.assistance.api.urls")),
    path("", include("bangfu.activities.api.urls")),
    path("", include("bangfu.visits.api.urls")),
    path("", include("bangfu.plans.api.urls")),
    path("", include("bangfu.cooperatives.api.urls")),
    path("", include("bangfu.credit.api.urls")),
    path("", include("bangfu.commitments.api.urls")),
    path("", include("bangfu.employment.api.urls")),
    path("", include("bangfu.consumption.api.urls")),
    path("", include("bangfu.funds.api.urls")),
    path("", include("bangfu.standards.api.urls")),
    path("", include("bangfu.exits.api.urls")),
    path("", include("bangfu.accounts.api.urls")),
    path("", include("bangfu.indicators.api.urls")),
]

urlpatterns = [
    path("", include("bangfu.core.urls")),
    path("accounts/", include("bangfu.accounts.urls")),
    path("regions/", include("bangfu.regions.urls")),
    path("registry/", include("bangfu.registry.urls")),
    path("assistance/", include("bangfu.assistance.urls")),
    path("activities/", include("bangfu.activities.urls")),
    path("visits/", include("bangfu.visits.urls")),
    path("plans/", include("bangfu.plans.urls")),
    path("cooperatives/", include("bangfu.cooperatives.urls")),
    path("credit/", include("bangfu.credit.urls")),
    path("commitments/", include("bangfu.commitments.urls")),
    path("employment/", include("bangfu.employment.urls")),
    path("consumption/", include("bangfu.consumption.urls")),
    path("funds/", include("bangfu.funds.urls")),
    path("standards/", include("bangfu.standards.urls")),
    path("exits/", include("bangfu.exits.urls")),
    path("indicators/", include("bangfu.indicators.urls")),
    path("api/", include(api_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
