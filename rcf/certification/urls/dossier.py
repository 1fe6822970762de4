"""Pages of applications, under ``/espace/`` (``/en/espace/`` in English)."""

from django.urls import path

from rcf.certification.views import dossier as views

app_name = "applications"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/nouveau/", views.create, name="create"),
    path("dossiers/<int:pk>/", views.detail, name="detail"),
    path("dossiers/<int:pk>/declaration/", views.declaration, name="declaration"),
    path(
        "dossiers/<int:pk>/declaration/rcf-declaration.json",
        views.declaration_json,
        name="declaration_json",
    ),
    path(
        "dossiers/<int:pk>/declaration/importer/",
        views.declaration_upload,
        name="declaration_upload",
    ),
    path("dossiers/<int:pk>/declaration/<slug:slug>/", views.section, name="section"),
    path("dossiers/<int:pk>/dsn/", views.dsn, name="dsn"),
    path("dossiers/<int:pk>/pre-controle/", views.precheck, name="precheck"),
    path(
        "dossiers/<int:pk>/pre-controle/rcf-evaluation.json",
        views.evaluation_json,
        name="evaluation_json",
    ),
    path("dossiers/<int:pk>/deposer/", views.submit, name="submit"),
    path("recevabilite/", views.admissibility_queue, name="admissibility_queue"),
    path("dossiers/<int:pk>/recevabilite/", views.admissibility, name="admissibility"),
    path("decisions/", views.decision_queue, name="decision_queue"),
    path("dossiers/<int:pk>/decision/", views.decision, name="decision"),
]
