"""Why an action is refused to someone who may see the object but not act on it (403), worded
once.

The services refuse with these words when they check an ability; a page reuses them when it
refuses to show a form its user may not send (a page never re-checks an ability only to word a
refusal: a POST goes to the service, whose refusal is the page's answer). One wording, one
entry in the translation catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CREATE_APPLICATION = _("Seul un demandeur rattaché à une entreprise peut créer un dossier.")
EDIT_DECLARATION = _("Seule l'entreprise peut modifier sa déclaration.")
DELETE_DRAFT = _("Seule l'entreprise peut supprimer son brouillon.")
JUDGE_ADMISSIBILITY = _("Seule l'AFRC juge la recevabilité d'un dossier.")
DECIDE = _("Seul un responsable de certification prend les décisions.")
DECIDE_AUDITED = _(
    "Vous avez audité ce dossier : la décision revient à une autre personne "
    "(impartialité, ISO/IEC 17065 §7.6)."
)
PLAN_AUDIT = _("Seul un responsable de certification planifie les audits.")
FILL_AUDIT = _("Seul l'auditeur désigné pour cet audit peut le renseigner.")
EDIT_SAMPLE = _(
    "Seuls le responsable de certification et l'auditeur désigné modifient l'échantillon."
)
PROPOSE_ACTION = _("Seule l'entreprise auditée propose des actions correctives.")
VERIFY_ACTION = _("Seul l'auditeur de cet audit vérifie les actions correctives.")
CHANGE_CERTIFICATE = _("Seul un responsable de certification peut faire cela.")
