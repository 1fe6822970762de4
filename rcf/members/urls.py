"""Pages of the AFRC membership registry, under ``/espace/adherents/``."""

from django.urls import path

from rcf.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("importer/", views.member_import, name="import"),
]
