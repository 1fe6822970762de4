"""What every page of the declaration editor does: show its part of the declaration, rebuild
the whole document with that part replaced, and put the service's errors back where they
belong (on a field of this page, or as a link to another page)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language

from rcf.certification.editor.layout import (
    KEY_SECTION,
    SECTION_TITLES,
    pointer_anchor,
    split_pointer,
)
from rcf.core.errors import InputError
from rcf.core.pages import SummaryItem, field_anchor
from rcf.referentiel.declaration.english import message_in
from rcf.referentiel.versions import scheme_for_declaration

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label


class Section:
    """One page of the editor."""

    do_not_call_in_templates = True  # templates list the section classes by their title
    slug: ClassVar[str]
    title: ClassVar[Label]
    intro: ClassVar[Label] = ""
    keys: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        declaration: Mapping[str, Any],
        data: QueryDict | None = None,
        *,
        section_url: Callable[[str], str],
        add_row: bool = False,
        disabled: bool = False,
    ) -> None:
        self.declaration = copy.deepcopy(dict(declaration))
        # The dossier's version is its declaration's format: the forms offer its enumerations.
        self.scheme = scheme_for_declaration(self.declaration).in_language(get_language())
        self.section_url = section_url
        self.elsewhere: list[SummaryItem] = []
        self.page_errors: list[str] = []

    def is_valid(self) -> bool:
        raise NotImplementedError

    def document(self) -> dict[str, Any]:
        """The whole declaration with this section replaced (after :meth:`is_valid`)."""
        raise NotImplementedError

    def place(self, errors: Iterable[InputError]) -> None:
        """Put each of the service's errors on its field, or link to where it belongs."""
        for error in errors:
            # The validator's messages are French (the formats'); the page's language here.
            error = InputError(error.pointer, message_in(error.message, get_language()))
            segments = split_pointer(error.pointer)
            if segments and segments[0] not in self.keys:
                slug = KEY_SECTION.get(segments[0], self.slug)
                self.elsewhere.append(
                    SummaryItem(
                        self.section_url(slug) + pointer_anchor(error.pointer),
                        f"{SECTION_TITLES[slug]} ({error.pointer})",
                        error.message,
                    )
                )
            elif not self.place_here(segments, error.message):
                self.page_errors.append(
                    f"{error.pointer}: {error.message}" if error.pointer else error.message
                )

    def place_here(self, segments: list[str], message: str) -> bool:
        raise NotImplementedError

    def summary(self) -> list[SummaryItem]:
        raise NotImplementedError

    def all_errors(self) -> list[SummaryItem]:
        page = [SummaryItem("#contenu", "", message) for message in self.page_errors]
        return page + self.summary() + self.elsewhere


class FormSection(Section):
    """A section edited by one plain form."""

    form_class: ClassVar[type[forms.Form]]

    def __init__(
        self,
        declaration: Mapping[str, Any],
        data: QueryDict | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(declaration, data, **kwargs)
        self.form = self.form_class(data, initial=self.initial(), **self.form_kwargs())
        if kwargs.get("disabled"):
            for field in self.form.fields.values():
                field.disabled = True

    def initial(self) -> dict[str, Any]:
        raise NotImplementedError

    def form_kwargs(self) -> dict[str, Any]:
        """What the form needs besides its data (the scheme, for the forms built from it)."""
        return {}

    def apply(self, cleaned: dict[str, Any]) -> None:
        raise NotImplementedError

    def field_for(self, segments: list[str]) -> str | None:
        raise NotImplementedError

    def is_valid(self) -> bool:
        return self.form.is_valid()

    def document(self) -> dict[str, Any]:
        self.apply(self.form.cleaned_data)
        return self.declaration

    def place_here(self, segments: list[str], message: str) -> bool:
        name = self.field_for(segments)
        if name is None:
            return False
        self.form.add_error(name, message)
        return True

    def summary(self) -> list[SummaryItem]:
        items = [SummaryItem("#contenu", "", str(m)) for m in self.form.non_field_errors()]
        for bound in self.form:
            items += [
                SummaryItem(f"#{field_anchor(bound)}", str(bound.label), str(m))
                for m in bound.errors
            ]
        return items
