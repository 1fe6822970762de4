"""The observatory's open data, at fixed addresses without language prefix."""

from django.urls import path

from rcf.observatory import views

app_name = "observatory_files"
urlpatterns = [
    path("opendata/statistiques.csv", views.statistics_csv, name="csv"),
    path("opendata/statistiques.json", views.statistics_json, name="json"),
    path("opendata/statistiques.schema.json", views.statistics_schema, name="schema"),
]
