from django.urls import path

from . import imports, views

app_name = "credit"
urlpatterns = [
    path("", views.LoanListView.as_view(), name="loan_list"),
    path("add/", views.LoanEditView.as_view(), name="loan_add"),
    path("<int:pk>/", views.LoanView.as_view(), name="loan"),
    path("<int:pk>/edit/", views.LoanEditView.as_view(), name="loan_edit"),
    path("import/", imports.EconomyImportView.as_view(), name="import"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/add/", views.ProductEditView.as_view(), name="product_add"),
    path("products/<int:pk>/", views.ProductView.as_view(), name="product"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
]
