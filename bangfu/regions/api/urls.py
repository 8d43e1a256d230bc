from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")

urlpatterns = [
    # bangfu/urls.py lists this module first under /api/: the login-protected schema and docs
    # views (bangfu.core.api.docs) therefore answer /api/schema/ and /api/docs/.
    path("", include("bangfu.core.api.urls")),
    *router.urls,
]
