from django.urls import path

from rcf.front import info, precheck, views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("pre-controle/", precheck.precheck, name="precheck"),
    path("demander-le-label/", info.apply, name="apply"),
    path("contact/", info.contact, name="contact"),
    path("mentions-legales/", info.legal, name="legal"),
    path("donnees-personnelles/", info.privacy, name="privacy"),
    path("accessibilite/", info.accessibility, name="accessibility"),
]
