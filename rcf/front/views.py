"""Public pages of the platform."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rcf.observatory.selectors import observatory_figures
from rcf.registry.forms import RegistrySearchForm
from rcf.registry.selectors import scheme_cycle
from rcf.registry.views import verify_prefix


def home(request: HttpRequest) -> HttpResponse:
    """Public. The label explained to consumers and to companies, with the registry's figures
    (the observatory's headline: the same rule as the registry, followed change by change
    rather than counted over every certificate at each request)."""
    return render(
        request,
        "front/home.html",
        {
            "form": RegistrySearchForm(),
            "verify_prefix": verify_prefix(),
            "cycle": scheme_cycle(),
            "observatory": observatory_figures()[0].headline,
        },
    )
