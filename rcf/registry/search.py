"""Keeping the registry search in step with company names.

The search text of a certificate (``Certificate.search_text``, ``sort_name``) holds its
company's name folded; the database indexes follow that column by themselves (see
``rcf/registry/migrations/0002_full_text_search.py``). What they cannot see is a company
renamed: this receiver reindexes its certificates whenever an organisation is saved (the admin,
``Organisation.save()``), so no service has to remember it. A bulk ``QuerySet.update(name=…)``
sends no signal: ``organisation_name_fill`` uses one only to name a company that had no name,
hence no certificate yet.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from rcf.accounts.models import Organisation
from rcf.certification.models import Certificate


@receiver(post_save, sender=Organisation, dispatch_uid="rcf.registry.search.reindex")
def reindex_certificates_of(
    sender: type[Organisation], instance: Organisation, **kwargs: Any
) -> None:
    """Reindex the certificates of a saved organisation whose search fields changed."""
    changed = []
    for certificate in Certificate.objects.filter(organisation=instance):
        before = (certificate.search_text, certificate.sort_name)
        certificate.organisation = instance
        certificate.reindex()
        if (certificate.search_text, certificate.sort_name) != before:
            changed.append(certificate)
    if changed:
        Certificate.objects.bulk_update(changed, ["search_text", "sort_name", "search_filters"])
