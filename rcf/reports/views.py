"""``/signaler/``: anyone reports a logo or a claim of the label used without a valid
certificate (platform-v1.md §4); ``/espace/signalements/``: the AFRC's queue and the handling of
one report. No JavaScript, no CAPTCHA: a honeypot field and a rate limit per address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user, require_roles
from rcf.core.pages import bound, form_summary, submitted
from rcf.core.pages import workflow_page as page
from rcf.core.ratelimit import client_key, hit
from rcf.journal.selectors import journal_for
from rcf.reports.choices import ReportStatus
from rcf.reports.forms import HandleForm, ReportForm
from rcf.reports.models import LogoReport
from rcf.reports.selectors import report_for
from rcf.reports.services import OBJ_TYPE, report_handle, report_receive


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """Public. The report form; a report goes to the AFRC's queue."""
    form = ReportForm(bound(request))
    if request.method == "POST":
        rate = settings.RCF_RATE_LIMITS.get("report")  # None: switched off ("off")
        verdict = None
        if rate is not None:
            limit, period = rate
            verdict = hit("report", client_key(request), limit=limit, period=period)
        if verdict is not None and not verdict.allowed:
            response = render(
                request, "reports/new.html", {"form": form, "limited": True}, status=429
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
        if form.is_valid():
            if not form.is_spam():
                report_receive(
                    company=form.cleaned_data["company"],
                    where_seen=form.cleaned_data["where_seen"],
                    description=form.cleaned_data["description"],
                    email=form.cleaned_data["email"],
                )
            return redirect("reports:thanks")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "reports/new.html",
        {"form": form, "summary": form_summary(form) if form.is_bound else []},
        status=status,
    )


@require_safe
def report_thanks(request: HttpRequest) -> HttpResponse:
    """Public. Says the report was received and what happens next."""
    return render(request, "reports/thanks.html")


@page
def report_queue(request: HttpRequest) -> HttpResponse:
    """The AFRC. Every report, open ones first (oldest first), then the closed ones."""
    require_roles(request, Role.AFRC)
    status = request.GET.get("statut", "")
    reports = LogoReport.objects.all()
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    open_first = sorted(
        reports[:500], key=lambda r: (r.status == ReportStatus.CLOSED, r.received_at)
    )
    return render(
        request,
        "reports/queue.html",
        {"reports": open_first, "statuses": ReportStatus.choices, "status": status},
    )


@page
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The AFRC (404 for anyone else). The report, its journal, and the form to handle it."""
    report = report_for(request.user, pk)  # type: ignore[arg-type]
    form = HandleForm(bound(request))
    done = submitted(
        request,
        form,
        lambda data: report_handle(actor=acting_user(request), report=report, **data),
    )
    if done is not None:
        return redirect("reports:detail", pk=report.pk)
    history = journal_for(OBJ_TYPE, report.pk)
    labels = dict(ReportStatus.choices)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "form": form,
            "summary": form_summary(form) if form.is_bound else [],
            "history": [
                {
                    "at": entry.recorded_at,
                    "actor": entry.actor_username,
                    "before": labels.get(entry.before, entry.before),
                    "after": labels.get(entry.after, entry.after),
                }
                for entry in history
            ],
            "closed": report.status == ReportStatus.CLOSED,
        },
        status=422 if form.is_bound else 200,
    )
