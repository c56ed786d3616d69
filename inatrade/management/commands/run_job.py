from datetime import date

from django.core.management.base import BaseCommand, CommandError

from inatrade.jobs import JOBS, job_run


def _help_text() -> str:
    lines = ["Run one periodic job now, as of a given day (default: today in Asia/Jakarta).", "", "Jobs:"]
    lines += [f"  {job.name}: {job.help}" for job in JOBS.values()]
    return "\n".join(lines)


class Command(BaseCommand):
    help = _help_text()

    def create_parser(self, *args, **kwargs):
        parser = super().create_parser(*args, **kwargs)
        from argparse import RawDescriptionHelpFormatter

        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(JOBS))
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD")

    def handle(self, *args, name, as_of, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {as_of!r}") from exc
        summary = job_run(name=name, as_of=day)
        self.stdout.write(f"{name}: " + ", ".join(f"{key}={value}" for key, value in summary.items()))
