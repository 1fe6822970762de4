"""Forms of the public pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

DECLARATION_MAX_BYTES = 5 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one ``<input type=file multiple>``."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PrecheckForm(forms.Form):
    """A declaration file and, optionally, DSN files: evaluated, never stored."""

    declaration = forms.FileField(
        label=_("Déclaration (fichier JSON rcf-declaration ou classeur XLSX)"),
        help_text=_(
            "Le JSON est décrit par son JSON Schema publié ; le classeur est le modèle "
            "téléchargeable ci-dessus, rempli. 5 Mo au plus."
        ),
    )
    dsn = MultipleFileField(
        label=_("DSN de l'entreprise (facultatif, plusieurs fichiers possibles)"),
        help_text=_(
            "Preuve des effectifs salariés (exigence RCF-07). Les DSN sont lues puis effacées : "
            "aucun numéro de sécurité sociale n'est conservé."
        ),
        required=False,
    )

    def clean_declaration(self) -> Any:
        upload = self.cleaned_data["declaration"]
        if upload.size > DECLARATION_MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        return upload

    def clean_dsn(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["dsn"]
        limit = settings.RCF_UPLOAD_MAX_BYTES
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s dépasse la taille maximale (%(limit)s octets)."),
                    params={"name": upload.name, "limit": limit},
                )
        return files
