"""Pages of certificates for the workflow, under ``/espace/certificats/``."""

from django.urls import path

from rcf.certification.views import certificate as views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<str:number>/", views.certificate_detail, name="detail"),
    path("<str:number>/certificat.pdf", views.certificate_download, name="pdf"),
    path("<str:number>/renouveler/", views.renew, name="renew"),
    path("<str:number>/<slug:change>/", views.certificate_change, name="change"),
]
