"""A tiny API used only by the tests of ``rcf.accounts.api_auth``."""

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from rcf.accounts.api_auth import api_auth

api = NinjaAPI(urls_namespace="accounts-auth-test", auth=api_auth)


@api.get("/whoami")
def whoami(request: HttpRequest) -> dict[str, str]:
    return {"auth": request.auth.username, "user": request.user.get_username()}  # type: ignore[attr-defined]


@api.post("/touch")
def touch(request: HttpRequest) -> dict[str, str]:
    return {"auth": request.auth.username}  # type: ignore[attr-defined]


urlpatterns = [path("api/", api.urls)]
