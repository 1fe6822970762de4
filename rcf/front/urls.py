from django.urls import path

from rcf.front import precheck, views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("pre-controle/", precheck.precheck, name="precheck"),
]
