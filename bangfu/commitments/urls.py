from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("", views.CommitmentListView.as_view(), name="commitment_list"),
    path("payments/", views.PaymentListView.as_view(), name="payment_list"),
    path("add/", views.CommitmentEditView.as_view(), name="commitment_add"),
    path("<int:pk>/", views.CommitmentView.as_view(), name="commitment"),
    path("<int:pk>/edit/", views.CommitmentEditView.as_view(), name="commitment_edit"),
    path("<int:pk>/payments/add/", views.PaymentAddView.as_view(), name="payment_add"),
]
