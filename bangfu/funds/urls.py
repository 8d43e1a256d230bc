from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.SourceListView.as_view(), name="source_list"),
    path("sources/add/", views.SourceEditView.as_view(), name="source_add"),
    path("sources/<int:pk>/", views.SourceView.as_view(), name="source"),
    path("sources/<int:pk>/edit/", views.SourceEditView.as_view(), name="source_edit"),
    path("donations/", views.DonationListView.as_view(), name="donation_list"),
    path("donations/add/", views.DonationEditView.as_view(), name="donation_add"),
    path("donations/<int:pk>/edit/", views.DonationEditView.as_view(), name="donation_edit"),
    path("pools/", views.PoolListView.as_view(), name="pool_list"),
    path("pools/add/", views.PoolEditView.as_view(), name="pool_add"),
    path("pools/<int:pk>/", views.PoolView.as_view(), name="pool"),
    path("pools/<int:pk>/edit/", views.PoolEditView.as_view(), name="pool_edit"),
    path("pools/<int:pk>/inflow/", views.PoolInflowView.as_view(), name="pool_inflow"),
    path("allocations/", views.AllocationListView.as_view(), name="allocation_list"),
    path("allocations/add/", views.AllocationAddView.as_view(), name="allocation_add"),
    path("allocations/<int:pk>/", views.AllocationView.as_view(), name="allocation"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/add/", views.ProjectEditView.as_view(), name="project_add"),
    path("projects/<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path(
        "projects/<int:pk>/outputs/add/",
        views.ProjectOutputAddView.as_view(),
        name="project_output_add",
    ),
    path(
        "projects/<int:pk>/beneficiaries/",
        views.ProjectBeneficiariesView.as_view(),
        name="project_beneficiaries",
    ),
    path("import/", views.ImportView.as_view(), name="import"),
    path("figures/regions/<str:code>/", views.RegionFiguresView.as_view(), name="region_figures"),
    path("households/<int:pk>/", views.HouseholdFundsView.as_view(), name="household_funds"),
]
