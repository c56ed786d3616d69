"""``Idempotency-Key`` for API actions (api.md, REL-04).

Decorate a DRF view's ``post`` with ``@idempotent``. With the header present, the action runs
in one transaction with the insertion of the key: a repeat after success replays the first
answer and changes nothing; a concurrent repeat waits on the unique key until the first
commits, then replays. Error answers are not stored, so a corrected request may reuse a key.

Keys belong to the caller (issue 15 item 9): a signed-in user's keys are theirs alone; an
anonymous caller's key is bound to a fingerprint of the whole request, every field and the
content of every uploaded file, so only a caller who sends exactly the same request gets the
stored answer. The same key reused with a different request answers 422
``idempotency_key_reused``, never another request's answer.
"""

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from inatrade.api.errors import error_body
from inatrade.db import run_in_transaction
from inatrade.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(position)
    return digest.hexdigest()


def _fingerprint(request) -> str:
    """SHA-256 of the method, path, every field and every file's name and content."""
    files = sorted(
        (name, upload.name or "", upload.size, _file_digest(upload))
        for name, uploads in request.FILES.lists()
        for upload in uploads
    )
    try:
        data = request.data
        if hasattr(data, "lists"):  # form and multipart bodies: every value of every field
            fields = sorted((name, [str(v) for v in values]) for name, values in data.lists() if name not in request.FILES)
        else:
            fields = data
        body = json.dumps(fields, sort_keys=True, default=str)
    except Exception:  # noqa: BLE001 - unparsable bodies are validated by the view itself
        body = "<unparsable>"
    text = json.dumps([request.method, request.path, body, files])
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(record: IdempotencyRecord, request, fingerprint: str) -> Response:
    if record.method != request.method or record.path != request.path or record.fingerprint != fingerprint:
        return Response(
            error_body("idempotency_key_reused", _("Idempotency-Key ini sudah dipakai untuk permintaan lain.")),
            status=422,
        )
    response = Response(record.body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler):
    @wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key:
            return handler(self, request, *args, **kwargs)
        if len(key) > 200:
            return Response(error_body("invalid", "Idempotency-Key terlalu panjang (maks. 200)."), status=400)
        fingerprint = _fingerprint(request)
        # Anonymous callers share no scope of their own: the key is theirs only together with
        # the exact request, checked by _replay (a different body is 422, not a replay).
        scope = f"user:{request.user.pk}" if request.user.is_authenticated else "anon"
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing:
            return _replay(existing, request, fingerprint)

        def attempt():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        scope=scope,
                        key=key,
                        method=request.method,
                        path=request.path,
                        fingerprint=fingerprint,
                        status_code=0,
                    )
            except IntegrityError:
                # A concurrent request with the same key committed first.
                return _replay(IdempotencyRecord.objects.get(scope=scope, key=key), request, fingerprint)
            response = handler(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.filter(pk=record.pk).update(
                    status_code=response.status_code, body=json.loads(json.dumps(response.data, default=str))
                )
            else:
                transaction.set_rollback(True)
            return response

        # One transaction with the action, retried as a whole on a deadlock (inatrade/db.py).
        return run_in_transaction(attempt)

    return wrapper
