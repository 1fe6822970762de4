"""Filters of the public pages: ``{% load registry %}``."""

from __future__ import annotations

from django import template

from rcf.registry import labels

register = template.Library()


@register.filter
def status_tag(status: str) -> str:
    """The CSS class that colours a status (``tag-ok`` only for a valid certificate)."""
    return labels.STATUS_TAG.get(status, "tag-neutral")  # type: ignore[call-overload]


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status)


@register.filter
def event_label(action: str) -> str:
    return labels.event_label(action)


@register.filter
def scope_label(code: str, dimension: str) -> str:
    """``{{ code|scope_label:"channels" }}`` → « Téléphone »."""
    return labels.scope_label(dimension, code)


@register.filter
def territory_label(code: str) -> str:
    return labels.territory_label(code)


@register.filter
def status_since_label(status: str) -> str:
    """« Suspendu depuis le », « Retiré le », « Expiré depuis le »."""
    return str(labels.STATUS_SINCE.get(status, ""))  # type: ignore[call-overload]


@register.filter
def phone_display(e164: str) -> str:
    """A telephone number as its reader dials it: French numbers in national form
    (``09 69 32 00 00``), others with their country code."""
    from rcf.certification.selectors.certificate import phone_read
    from rcf.referentiel.telephone import PhoneNumberError

    try:
        number = phone_read(e164)
    except PhoneNumberError:
        return e164
    return number.national if number.french else number.international
