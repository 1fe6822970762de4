"""Pages of audits, under ``/espace/audits/``."""

from django.urls import path

from rcf.certification.views.audit import (
    checklist,
    corrective_actions,
    documents,
    findings,
    overview,
    planning,
)

app_name = "audits"
urlpatterns = [
    path("", overview.audit_list, name="list"),
    path("a-planifier/", planning.plan_queue, name="plan_queue"),
    path("planifier/<int:application_id>/", planning.plan, name="plan"),
    path("<int:pk>/", overview.detail, name="detail"),
    path("<int:pk>/grille/", checklist.checklist, name="checklist"),
    path("<int:pk>/constats/nouveau/", findings.finding_new, name="finding_new"),
    path("<int:pk>/pieces/", documents.evidence, name="evidence"),
    path("<int:pk>/echantillon/", planning.sample, name="sample"),
    path("<int:pk>/cloture/", checklist.close, name="close"),
    path("<int:pk>/rapport.pdf", documents.report_pdf, name="report_pdf"),
    path("pieces/<int:evidence_id>/", documents.evidence_download, name="evidence_download"),
    path(
        "constats/<int:finding_id>/action/",
        corrective_actions.propose_action,
        name="propose_action",
    ),
    path(
        "actions/<int:action_id>/verification/",
        corrective_actions.verify_action,
        name="verify_action",
    ),
]
