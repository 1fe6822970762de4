"""URL map of the platform. Public paths are part of the stable interface (platform-v1.md §3)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from rcf.api import api, api_not_found
from rcf.certification.views import home as workspace_views
from rcf.core import views as core_views
from rcf.front import errors
from rcf.journal import views as journal_views
from rcf.operations import views as operations_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", operations_views.readyz, name="readyz"),
    # Not public by default: 404 unless RCF_METRICS_TOKEN is set and presented.
    path("metrics", operations_views.metrics, name="metrics"),
    path("journal/checkpoint.jwt", journal_views.checkpoint, name="journal_checkpoint"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # any other /api/ address: 404 in JSON
    path("", include("rcf.registry.file_urls")),
    path("", include("rcf.observatory.file_urls")),
]

urlpatterns += i18n_patterns(
    # The admin signs in through the platform's login page, which is throttled.
    # (A signed-in user whom the admin refuses gets a page that says so, not a loop.)
    path("admin/login/", errors.admin_login),
    path("admin/", admin.site.urls),
    path("compte/", include("rcf.accounts.urls")),
    path("espace/accueil/", workspace_views.workspace, name="workspace"),
    path("", include("rcf.reports.urls")),
    path("espace/audits/", include("rcf.certification.urls.audit")),
    path("espace/certificats/", include("rcf.certification.urls.certificate")),
    path("espace/adherents/", include("rcf.members.urls")),
    path("espace/", include("rcf.certification.urls.dossier")),
    path("observatoire/", include("rcf.observatory.urls")),
    path("", include("rcf.registry.urls")),
    path("", include("rcf.front.urls")),
    prefix_default_language=False,
)

# Styled pages in the visitor's language, never a trace of the program (DEBUG is off in
# production); /api/ errors are JSON, answered by the API itself.
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
