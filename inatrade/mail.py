"""E-mail backends."""

import sys

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Development default: every message is printed and also written under var/mail, so a
    newcomer sees it in the terminal and can open the set-password link later."""

    def send_messages(self, email_messages):
        ConsoleBackend(stream=sys.stdout).send_messages(email_messages)
        return super().send_messages(email_messages)
