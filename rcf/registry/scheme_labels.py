"""The scheme's French labels shown on public pages, listed for the translation catalogue.

The scheme file holds them once, in French (they are also the words of ``rcf-evaluation/1``);
``labels.py`` translates them with ``gettext`` at display time. ``makemessages`` cannot read the
scheme file, so the labels are repeated here with ``gettext_noop``; a test checks that this
list covers every label the public pages show.
"""

from django.utils.translation import gettext_noop

SCHEME_LABELS = (
    # channels
    gettext_noop("Téléphone"),
    gettext_noop("Courriel"),
    gettext_noop("Chat"),
    gettext_noop("Messagerie instantanée"),
    gettext_noop("Réseaux sociaux"),
    gettext_noop("Courrier postal"),
    gettext_noop("Visioconférence"),
    # activities
    gettext_noop("Front office (contact direct)"),
    gettext_noop("Back office (traitement sans contact direct)"),
    # phases
    gettext_noop("Avant-vente"),
    gettext_noop("Vente"),
    gettext_noop("Après-vente"),
    # territories
    gettext_noop("France métropolitaine"),
    gettext_noop("Départements et régions d'outre-mer"),
    gettext_noop("Collectivités d'outre-mer où s'applique le Code du travail"),
    gettext_noop("Hors du champ du Code du travail"),
)
