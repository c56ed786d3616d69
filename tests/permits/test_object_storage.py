"""Issue 19, object storage: with STORAGE_URL=s3://... every stored file (uploads, rendered and
signed PDFs) goes to the object store through the storage API, downloads stream from it, and
nothing lands in the node's local folder."""

import pytest
from django.core.files.storage import default_storage

from inatrade.files import serve_private, store_private
from tests.conftest import bucket_keys
from tests.permits.conftest import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


def _local_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_storage_url_selects_the_s3_backend_and_a_round_trip_goes_through_the_bucket__issue_19(
        s3_storage, s3_server, tmp_path):
    from storages.backends.s3 import S3Storage

    from django.core.files.storage import storages

    assert isinstance(storages["default"], S3Storage)
    path, digest = store_private(b"%PDF-1.4 tiny", folder="uploads")
    assert bucket_keys(s3_server, s3_storage) == [f"files/{path}"]
    response = serve_private(path, filename="x.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 tiny"
    assert response["Content-Length"] == str(len(b"%PDF-1.4 tiny"))
    assert _local_files(tmp_path / "private") == []


def test_a_permit_is_rendered_signed_stored_and_downloaded_through_the_object_store__issue_19(
        s3_storage, s3_server, issue_permit, client, owner, tmp_path):
    permit = issue_permit()
    version = permit.current_version
    assert version.pdf_path and f"files/{version.pdf_path}" in bucket_keys(s3_server, s3_storage)
    client.force_login(owner)
    response = client.get(f"/permits/{permit.number}/pdf")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == pdf_bytes(version) and body[:5] == b"%PDF-"
    assert _local_files(tmp_path / "private") == []


def test_storage_url_rejects_what_it_does_not_know__issue_19():
    from django.core.exceptions import ImproperlyConfigured

    from inatrade.settings import _default_storage

    assert _default_storage("")["BACKEND"].endswith("FileSystemStorage")
    opts = _default_storage("s3://bucket/pre/fix?endpoint_url=http://127.0.0.1:9000&region=eu-1")["OPTIONS"]
    assert (opts["bucket_name"], opts["location"], opts["endpoint_url"], opts["region_name"]) == (
        "bucket", "pre/fix", "http://127.0.0.1:9000", "eu-1")
    with pytest.raises(ImproperlyConfigured):
        _default_storage("ftp://x")
    with pytest.raises(ImproperlyConfigured):
        _default_storage("s3://bucket?colour=blue")
