"""Run the fake INSW receiver on loopback (development): python manage.py fake_insw [--port 8765]."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand

from permits.fake_insw import FakeInsw


class Command(BaseCommand):
    help = "A fake INSW permit endpoint on 127.0.0.1 that stores received events (DOC-05)."

    def add_arguments(self, parser):
        endpoint = urlparse(settings.INSW_ENDPOINT)
        parser.add_argument("--port", type=int, default=endpoint.port or 8765)
        parser.add_argument("--path", default=endpoint.path or "/insw/permits")
        parser.add_argument("--mode", choices=["ok", "error", "hang", "reject"], default="ok")

    def handle(self, *args, port, path, mode, **options):
        fake = FakeInsw(port=port, path=path)
        fake.mode = mode
        self.stdout.write(f"Fake INSW listening on {fake.url.replace(':0', f':{port}')} (mode {mode}); "
                          "POST /_control {\"mode\": ...} to change, GET /_events to list. Ctrl-C stops.")
        fake.serve_forever()
