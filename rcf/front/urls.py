from django.urls import path

from rcf.front import info, precheck, views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("pre-controle/", precheck.precheck, name="precheck"),
    path(
        "pre-controle/declaration-vierge.xlsx",
        precheck.blank_workbook_file,
        name="precheck_blank_workbook",
    ),
    path(
        "pre-controle/declaration-exemple.xlsx",
        precheck.example_workbook_file,
        name="precheck_example_workbook",
    ),
    path(
        "pre-controle/rcf-declaration-1.schema.json",
        precheck.declaration_schema_file,
        name="precheck_schema",
    ),
    path("demander-le-label/", info.apply, name="apply"),
    path("contact/", info.contact, name="contact"),
    path("mentions-legales/", info.legal, name="legal"),
    path("donnees-personnelles/", info.privacy, name="privacy"),
    path("accessibilite/", info.accessibility, name="accessibility"),
]
