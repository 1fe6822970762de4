"""Uploads never give the client's file name to the file system, and large ones wait in a file
without a name, in a private directory (rcf/core/uploads.py). The killed-worker case, with a
real server, is in tests/deploy/test_killed_upload.py."""

from __future__ import annotations

import html
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from rcf.core.uploads import UnlinkedUploadedFile, sweep_upload_temp_dir
from rcf.front.tests.test_precheck_page import dsn_for_niort, upload
from tests.support.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def temp_dir(settings: Any, tmp_path: Path) -> Path:
    """The directory exists, too open (0755) as an operator may have made it."""
    directory = tmp_path / "upload-tmp"
    directory.mkdir()
    directory.chmod(0o755)
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    return directory


@pytest.mark.parametrize("memory_limit", [2_621_440, 1_000], ids=["in-memory", "on-disk"])
def test_a_dsn_with_a_254_character_name_is_read(
    client: Client, settings: Any, temp_dir: Path, memory_limit: int
) -> None:
    """It used to be a 500 (« File name too long » when spooling under the client's name)."""
    make_member()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    name = "n" * 250 + ".dsn"
    response = client.post(
        "/pre-controle/",
        {
            "declaration": upload("mutuelle-sans-dsn.json"),
            "dsn": [SimpleUploadedFile(name, dsn_for_niort(65))],
        },
    )
    assert response.status_code == 200
    assert '"verdict": "eligible"' in html.unescape(response.content.decode())
    assert list(temp_dir.iterdir()) == []


def test_a_malformed_dsn_with_a_long_name_is_named_in_its_errors(client: Client) -> None:
    make_member()
    name = "é" * 120 + ".dsn"  # 244 bytes in UTF-8
    response = client.post(
        "/pre-controle/",
        {
            "declaration": upload("mutuelle-sans-dsn.json"),
            "dsn": [SimpleUploadedFile(name, b"not a dsn\n")],
        },
    )
    assert response.status_code == 422
    assert f"{name}:1:" in html.unescape(response.content.decode())


def test_a_large_upload_waits_in_a_file_without_a_name(settings: Any, temp_dir: Path) -> None:
    """Past FILE_UPLOAD_MAX_MEMORY_SIZE the upload is on disk, yet nothing is listed in the
    private directory (0700) while the request holds it: a killed process leaves nothing."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000
    content = b"S10.G00.00.001,'0123456789'\n" * 2_000
    body = encode_multipart(BOUNDARY, {"dsn": SimpleUploadedFile("../../etc/x" * 30, content)})
    request = RequestFactory().generic(
        "POST", "/pre-controle/", body, content_type=MULTIPART_CONTENT
    )
    uploaded = request.FILES["dsn"]
    assert isinstance(uploaded, UnlinkedUploadedFile)
    assert not hasattr(uploaded, "temporary_file_path")
    assert uploaded.read() == content
    assert uploaded.size == len(content)
    assert os.listdir(temp_dir) == []
    assert stat.S_IMODE(temp_dir.stat().st_mode) == 0o700
    target = os.readlink(f"/proc/self/fd/{uploaded.fileno()}")
    assert target.startswith(str(temp_dir))
    assert target.endswith("(deleted)")
    uploaded.close()


def test_serve_sweeps_leftovers_older_than_a_minute(temp_dir: Path) -> None:
    old, young = temp_dir / "tmpold", temp_dir / "tmpyoung"
    old.write_bytes(b"NIR")
    young.write_bytes(b"NIR")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert sweep_upload_temp_dir() == 1
    assert sorted(p.name for p in temp_dir.iterdir()) == ["tmpyoung"]
