"""Pages of applications, under ``/espace/`` (``/en/espace/`` in English)."""

from django.urls import path

from rcf.certification.views.dossier import declaration, evidence, review, workspace

app_name = "applications"
urlpatterns = [
    path("", workspace.dashboard, name="dashboard"),
    path("dossiers/nouveau/", declaration.create, name="create"),
    path("dossiers/<int:pk>/", workspace.detail, name="detail"),
    path("dossiers/<int:pk>/supprimer/", declaration.delete, name="delete"),
    path("dossiers/<int:pk>/declaration/", declaration.declaration, name="declaration"),
    path(
        "dossiers/<int:pk>/declaration/rcf-declaration.json",
        declaration.declaration_json,
        name="declaration_json",
    ),
    path(
        "dossiers/<int:pk>/declaration/importer/",
        declaration.declaration_upload,
        name="declaration_upload",
    ),
    path("dossiers/<int:pk>/declaration/<slug:slug>/", declaration.section, name="section"),
    path("dossiers/<int:pk>/dsn/", evidence.dsn, name="dsn"),
    path(
        "dossiers/<int:pk>/dsn/<int:evidence_id>/retirer/",
        evidence.dsn_remove,
        name="dsn_remove",
    ),
    path("dossiers/<int:pk>/pre-controle/", evidence.precheck, name="precheck"),
    path(
        "dossiers/<int:pk>/pre-controle/rcf-evaluation.json",
        evidence.evaluation_json,
        name="evaluation_json",
    ),
    path("dossiers/<int:pk>/deposer/", review.submit, name="submit"),
    path("recevabilite/", review.admissibility_queue, name="admissibility_queue"),
    path("dossiers/<int:pk>/recevabilite/", review.admissibility, name="admissibility"),
    path("decisions/", review.decision_queue, name="decision_queue"),
    path("dossiers/<int:pk>/decision/", review.decision, name="decision"),
]
