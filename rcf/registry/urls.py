"""Public pages, under the language prefixes: ``/registre/…`` and ``/en/registre/…``."""

from django.urls import path

from rcf.registry import views

VERIFY_PREFIX = "verifier/"
"""Printed in QR codes and badges: stable (platform-v1.md §3), never translated."""

app_name = "registry"
urlpatterns = [
    path("registre/", views.search, name="search"),
    path("registre/<str:siren>/", views.company, name="company"),
    path(VERIFY_PREFIX + "<str:number>/", views.verify, name="verify"),
    path("numero/", views.phone, name="phone"),
]
