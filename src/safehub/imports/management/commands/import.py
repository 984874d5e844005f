"""`safehub import SOURCE FILE [--dry-run] [--skip-rejected] [--rejected-file OUT.csv]`.

Checks or imports one file of a registered source, with a progress bar. Without
`--skip-rejected`, a file with rejected rows is not imported: the command lists the first
rejected rows (row, column, reason; never the values) and exits with status 1.
`safehub import --run ID` does the pending work of a run started on the web.
`safehub import --list` lists the sources.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from safehub.accounts.models import User
from safehub.imports import services
from safehub.imports.models import ImportRun
from safehub.imports.registry import UnknownSource, get_source, sources
from safehub.refusals import Refused


class Command(BaseCommand):
    help = "Check (--dry-run) or import a file of a registered source, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="the source's name (see --list)")
        parser.add_argument("file", nargs="?", help="a .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="count only; write nothing")
        parser.add_argument(
            "--skip-rejected",
            action="store_true",
            help="import the good rows even when some rows are rejected",
        )
        parser.add_argument("--rejected-file", help="write the rejected rows here, with reasons")
        parser.add_argument("--user", help="the Safehub username importing (for the history)")
        parser.add_argument("--run", help="do the pending work of a run started on the web")
        parser.add_argument("--list", action="store_true", help="list the sources")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)
        if options["list"]:
            for source in sources():
                console.print(f"{source.name} (version {source.version}): {source.file_name}")
            return
        if options["run"]:
            pending = ImportRun.objects.filter(public_id=options["run"]).first()
            if pending is None:
                raise CommandError("No import run with that id.")
            done = self._with_progress(options, lambda cb: services.run_pending(pending, cb))
            self._report(console, done)
            return
        if not options["source"] or not options["file"]:
            raise CommandError("Name a source and a file, e.g. safehub import schools schools.csv")
        try:
            source = get_source(options["source"])
        except UnknownSource as exc:
            names = ", ".join(s.name for s in sources())
            raise CommandError(f"No source called {options['source']}. Sources: {names}") from exc
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError("No active user with that username.")
        try:
            started = services.start_run(
                user=user,
                source=source,
                path=path,
                file_name=path.name,
                channel="cli",
                skip_rejected=options["skip_rejected"],
            )
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        rejected = Path(options["rejected_file"]) if options["rejected_file"] else None
        if options["dry_run"]:
            work = lambda cb: services.check_run(  # noqa: E731
                started, path=path, rejected_path=rejected, on_progress=cb
            )
        else:
            work = lambda cb: services.apply_run(  # noqa: E731
                started, path=path, rejected_path=rejected, on_progress=cb
            )
        self._report(console, self._with_progress(options, work))

    def _with_progress(self, options: dict[str, Any], work: Any) -> ImportRun:
        try:
            return self._work(options, work)
        except Refused as exc:
            raise CommandError(str(exc)) from exc

    def _work(self, options: dict[str, Any], work: Any) -> ImportRun:
        with ExitStack() as stack:
            if options["no_progress"]:
                return work(None)
            bar = stack.enter_context(
                Progress(
                    TextColumn("rows"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=Console(stderr=True),
                )
            )
            task = bar.add_task("rows", total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result: ImportRun = work(update)
            return result

    def _report(self, console: Console, run: ImportRun) -> None:
        console.print(
            f"{run.source} v{run.source_version}, {run.file_name}: {run.get_status_display()}. "
            f"{run.new} new, {run.changed} changed, {run.unchanged} unchanged, "
            f"{run.rejected} rejected (run {run.public_id})."
        )
        for problem in run.rejections:
            column = f" {problem['column']}" if problem["column"] else ""
            console.print(f"  row {problem['row']}:{column} {problem['reason']}")
        if run.rejected > len({p["row"] for p in run.rejections}):
            console.print("  ... (all of them in the rejected rows file: --rejected-file)")
        if run.status == ImportRun.Status.FAILED or run.error:
            raise CommandError(run.error or "The import failed.")
