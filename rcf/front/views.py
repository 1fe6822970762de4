"""Public pages of the platform."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rcf.members.models import Member


def home(request: HttpRequest) -> HttpResponse:
    """Public. The home page."""
    return render(request, "front/home.html", {"members": Member.objects.all()})
