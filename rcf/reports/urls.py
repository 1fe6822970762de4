"""``/signaler/`` (public, platform-v1.md §4) and the AFRC's queue under ``/espace/``."""

from django.urls import path

from rcf.reports import views

app_name = "reports"
urlpatterns = [
    path("signaler/", views.report_new, name="new"),
    path("signaler/merci/", views.report_thanks, name="thanks"),
    path("espace/signalements/", views.report_queue, name="queue"),
    path("espace/signalements/<int:pk>/", views.report_detail, name="detail"),
]
