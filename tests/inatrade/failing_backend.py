from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down (the outside world; used by the retry test)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP down")
