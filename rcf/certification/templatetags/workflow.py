"""Template helpers of the workflow pages: the colour of a status."""

from __future__ import annotations

from django import template

register = template.Library()

TAGS = {
    # applications
    "draft": "neutral",
    "submitted": "info",
    "admissible": "info",
    "audit_planned": "info",
    "audited": "info",
    "corrective_actions": "warn",
    "certified": "ok",
    "refused": "bad",
    # pre-check verdicts and requirement statuses
    "eligible": "ok",
    "to_verify": "warn",
    "not_eligible": "bad",
    "conforme": "ok",
    "a_verifier": "warn",
    "non_conforme": "bad",
    "non_applicable": "neutral",
    # audits, checklist results, findings, corrective actions
    "planned": "info",
    "closed": "ok",
    "nc_majeure": "bad",
    "nc_mineure": "warn",
    "observation": "info",
    "major": "bad",
    "minor": "warn",
    "open": "bad",
    "action_proposed": "warn",
    "pending": "warn",
    "accepted": "ok",
    "rejected": "bad",
    # certificates
    "active": "ok",
    "suspended": "warn",
    "withdrawn": "bad",
    "expired": "neutral",
}


@register.filter
def tag_class(status: str) -> str:
    """``tag-ok``, ``tag-warn``, ``tag-bad``… for a status code (``tag-neutral`` if unknown)."""
    return f"tag-{TAGS.get(str(status), 'neutral')}"


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``mapping[key]``, or ``""`` when it is absent (templates cannot index by a variable)."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.filter
def certificate_status_label(status: str) -> str:
    """« Valide », « Retiré »… for a certificate's (public) status code."""
    from rcf.certification.choices import CertificateStatus

    try:
        return str(CertificateStatus(status).label)
    except ValueError:
        return str(status)
