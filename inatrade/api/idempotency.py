"""``Idempotency-Key`` for API actions (api.md, REL-04).

Decorate a DRF view's ``post`` with ``@idempotent``. With the header present, the action runs
in one transaction with the insertion of the key: a repeat after success replays the first
answer and changes nothing; a concurrent repeat waits on the unique key until the first
commits, then replays. Error answers are not stored, so a corrected request may reuse a key.
The same key reused for a different request answers 409 ``idempotency_key_reused``.
"""

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from inatrade.api.errors import error_body
from inatrade.db import run_in_transaction
from inatrade.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _fingerprint(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str) if not request.FILES else ""
    except Exception:  # noqa: BLE001 - unparsable bodies are validated by the view itself
        body = ""
    files = sorted((name, f.name, f.size) for name, f in request.FILES.items())
    return hashlib.sha256(f"{request.method}|{request.path}|{body}|{files}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, request) -> Response:
    if record.method != request.method or record.path != request.path or record.fingerprint != _fingerprint(request):
        return Response(
            error_body("idempotency_key_reused", "Idempotency-Key ini sudah dipakai untuk permintaan lain."),
            status=409,
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
        scope = f"user:{request.user.pk}" if request.user.is_authenticated else "anon"
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing:
            return _replay(existing, request)

        def attempt():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        scope=scope,
                        key=key,
                        method=request.method,
                        path=request.path,
                        fingerprint=_fingerprint(request),
                        status_code=0,
                    )
            except IntegrityError:
                # A concurrent request with the same key committed first.
                return _replay(IdempotencyRecord.objects.get(scope=scope, key=key), request)
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
