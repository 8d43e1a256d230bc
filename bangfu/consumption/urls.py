from django.urls import path

from . import views

app_name = "consumption"
urlpatterns = [
    path("", views.PurchaseListView.as_view(), name="purchase_list"),
    path("add/", views.PurchaseEditView.as_view(), name="purchase_add"),
    path("<int:pk>/", views.PurchaseView.as_view(), name="purchase"),
    path("<int:pk>/edit/", views.PurchaseEditView.as_view(), name="purchase_edit"),
]
