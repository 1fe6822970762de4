"""Audit evidence files go through STORAGES["evidence"], so that an object store shared by
several instances can replace the data directory (rcf/core/storage.py)."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from rcf.certification.models import EvidenceFile
from rcf.certification.services.audit import evidence_add
from rcf.core.errors import InvalidInput
from rcf.core.storage import PrivateFileSystemStorage
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def in_memory(settings: Any, tmp_path: Path) -> Any:
    """Evidence in Django's in-memory storage, and RCF_UPLOAD_DIR somewhere to check."""
    settings.RCF_UPLOAD_DIR = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["evidence"]


def test_evidence_is_written_and_read_through_the_configured_storage(
    cast: Cast, in_memory: Any, tmp_path: Path
) -> None:
    audit = pages.planned(cast)
    response = pages.browser(cast, "auditor").post(
        reverse("audits:evidence", args=[audit.pk]),
        {"requirement": "RCF-A2", "file": io.BytesIO(PDF)},
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    with in_memory.open(evidence.stored_name) as stored:
        assert stored.read() == PDF
    assert not (tmp_path / "uploads").exists()
    download = pages.browser(cast, "applicant").get(
        reverse("audits:evidence_download", args=[evidence.pk])
    )
    assert download.status_code == 200
    assert download.getvalue() == PDF


def test_a_file_gone_from_the_storage_is_a_404(cast: Cast, in_memory: Any) -> None:
    audit = pages.planned(cast)
    evidence = evidence_add(
        actor=cast.auditor.user,
        audit=audit,
        requirement="",
        name="a.pdf",
        handle=io.BytesIO(PDF),
        size=len(PDF),
    )
    in_memory.delete(evidence.stored_name)
    download = pages.browser(cast, "applicant").get(
        reverse("audits:evidence_download", args=[evidence.pk])
    )
    assert download.status_code == 404


def test_a_file_larger_than_announced_leaves_nothing_in_the_storage(
    cast: Cast, settings: Any, tmp_path: Path
) -> None:
    """The size is checked while the bytes flow: the partial file is deleted."""
    settings.RCF_UPLOAD_DIR = tmp_path / "uploads"
    settings.RCF_UPLOAD_MAX_BYTES = 1_000
    audit = pages.planned(cast)
    with pytest.raises(InvalidInput):
        evidence_add(
            actor=cast.auditor.user,
            audit=audit,
            requirement="",
            name="a.pdf",
            handle=io.BytesIO(PDF + b"x" * 5_000),
            size=10,
        )
    assert list((tmp_path / "uploads").iterdir()) == []
    assert not EvidenceFile.objects.exists()


def test_the_default_storage_is_private(cast: Cast, settings: Any, tmp_path: Path) -> None:
    settings.RCF_UPLOAD_DIR = tmp_path / "uploads"
    assert isinstance(storages["evidence"], PrivateFileSystemStorage)
    evidence = evidence_add(
        actor=cast.auditor.user,
        audit=pages.planned(cast),
        requirement="",
        name="a.pdf",
        handle=io.BytesIO(PDF),
        size=len(PDF),
    )
    path = tmp_path / "uploads" / evidence.stored_name
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(NotImplementedError):
        storages["evidence"].url(evidence.stored_name)
