"""Pages of audits, under ``/espace/audits/``."""

from django.urls import path

from rcf.certification.views import audit as views

app_name = "audits"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("a-planifier/", views.plan_queue, name="plan_queue"),
    path("planifier/<int:application_id>/", views.plan, name="plan"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/grille/", views.checklist, name="checklist"),
    path("<int:pk>/constats/nouveau/", views.finding_new, name="finding_new"),
    path("<int:pk>/pieces/", views.evidence, name="evidence"),
    path("<int:pk>/echantillon/", views.sample, name="sample"),
    path("<int:pk>/cloture/", views.close, name="close"),
    path("<int:pk>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("pieces/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("constats/<int:finding_id>/action/", views.propose_action, name="propose_action"),
    path("actions/<int:action_id>/verification/", views.verify_action, name="verify_action"),
]
