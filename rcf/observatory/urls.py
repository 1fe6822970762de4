"""``/observatoire/`` (with ``/en/``): the page and its charts."""

from django.urls import path

from rcf.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("graphiques/<slug:slug>.<str:fmt>", views.chart, name="chart"),
    path(
        "graphiques/etroit/<slug:slug>.<str:fmt>",
        views.chart,
        {"narrow": True},
        name="chart_narrow",
    ),
]
