"""Keeping the registry search in step with company names.

The search text of a certificate (``Certificate.search_text``, ``sort_name``) holds its
company's name folded; the database indexes follow that column by themselves (see
``rcf/registry/migrations/0002_full_text_search.py``). What they cannot see is a company
renamed: this receiver reindexes its certificates whenever an organisation is saved (the admin,
``Organisation.save()``), so no service has to remember it. A bulk ``QuerySet.update(name=…)``
sends no signal: ``organisation_name_fill`` uses one only to name a company that had no name,
hence no certificate yet.

A new name that folds to the same search text (« Acme » → « ACME ») changes no search field,
yet the pages and answers kept in memory show the name: its certificates are written all the
same, so that ``registry_search_generation`` changes and nothing kept shows the old name.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from rcf.accounts.models import Organisation
from rcf.certification.models import Certificate


@receiver(pre_save, sender=Organisation, dispatch_uid="rcf.registry.search.name_before")
def remember_name_before(sender: type[Organisation], instance: Organisation, **kwargs: Any) -> None:
    """The stored name of an organisation about to be saved (none for a new one)."""
    stored = None
    if instance.pk is not None:
        query = Organisation.objects.filter(pk=instance.pk).values_list("name", flat=True)
        stored = query.first()
    instance._rcf_name_before = stored  # type: ignore[attr-defined]


@receiver(post_save, sender=Organisation, dispatch_uid="rcf.registry.search.reindex")
def reindex_certificates_of(
    sender: type[Organisation], instance: Organisation, **kwargs: Any
) -> None:
    """Reindex the certificates of a saved organisation whose search fields or name changed."""
    renamed = getattr(instance, "_rcf_name_before", None) not in (None, instance.name)
    changed = []
    for certificate in Certificate.objects.filter(organisation=instance):
        before = (certificate.search_text, certificate.sort_name)
        certificate.organisation = instance
        certificate.reindex()
        if renamed or (certificate.search_text, certificate.sort_name) != before:
            changed.append(certificate)
    if changed:
        Certificate.objects.bulk_update(changed, ["search_text", "sort_name", "search_filters"])
