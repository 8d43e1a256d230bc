from django.urls import path

from . import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.CooperativeListView.as_view(), name="cooperative_list"),
    path("members/", views.MembershipListView.as_view(), name="membership_list"),
    path("dividends/", views.DividendListView.as_view(), name="dividend_list"),
    path("add/", views.CooperativeEditView.as_view(), name="cooperative_add"),
    path("coverage/", views.IndustryCoverageView.as_view(), name="industry_coverage"),
    path("coverage/households/", views.CoveredHouseholdListView.as_view(), name="covered"),
    path("<int:pk>/", views.CooperativeView.as_view(), name="cooperative"),
    path("<int:pk>/edit/", views.CooperativeEditView.as_view(), name="cooperative_edit"),
    path("<int:pk>/members/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path("members/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("<int:pk>/contracts/add/", views.ContractAddView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/edit/", views.ContractEditView.as_view(), name="contract_edit"),
    path("<int:pk>/years/add/", views.YearAddView.as_view(), name="year_add"),
    path("years/<int:pk>/edit/", views.YearEditView.as_view(), name="year_edit"),
    path("<int:pk>/dividends/add/", views.DividendAddView.as_view(), name="dividend_add"),
    path("dividends/<int:pk>/edit/", views.DividendEditView.as_view(), name="dividend_edit"),
]
