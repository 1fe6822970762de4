"""The size of the customer-relationship sector in France, against which coverage is read.

The figures come from the article kept in the project's seed
(``shared/seed/relation-client-france-article.fr.txt``), « “Relation Client France”, une
certification qui garantit un service client 100 % made in France ». The article is not dated;
it speaks of the label created in June 2021, of eleven certified companies « pour l'heure » and
of some sixty more that « pourraient suivre en 2022 »: it was written at the end of 2021.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

JOBS_LOW = 280_000
JOBS_HIGH = 300_000
JOBS_MIDDLE = (JOBS_LOW + JOBS_HIGH) // 2
"""The share of the sector covered is given against the middle of the range (and the page
gives it against both ends)."""
IN_HOUSE_PERCENT = 80
OUTSOURCED_JOBS = 60_000
OFFSHORE_PERCENT = 10

SOURCE_TITLE = (
    "« “Relation Client France”, une certification qui garantit un service client 100 % made "
    "in France »"
)
SOURCE_DATE = "2021-12"
"""Year and month as far as the article tells (see the module's docstring)."""
SOURCE_DATE_LABEL = _("fin 2021")
SOURCE_NOTE = _(
    "Article de presse sur le label (non daté, écrit fin 2021 : il annonce une soixantaine "
    "d'entreprises candidates pour 2022)."
)


def share_percent(contributors: int, jobs: int = JOBS_MIDDLE) -> float:
    """``contributors`` as a percentage of ``jobs``, to one decimal."""
    return round(100 * contributors / jobs, 1)
