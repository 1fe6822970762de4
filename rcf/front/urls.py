from django.urls import path

from rcf.front import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
]
