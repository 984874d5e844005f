"""`safehub link`: link every identity record into person clusters (see docs/linkage.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.linkage import services
from safehub.linkage.choices import RunStatus
from safehub.linkage.models import LinkageRun
from safehub.refusals import Refused


class Command(BaseCommand):
    help = "Link identity records from every source into person clusters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Link only records not yet in a cluster, against the existing clusters.",
        )
        parser.add_argument(
            "--retrain", action="store_true", help="Train a new model instead of the stored one."
        )
        parser.add_argument(
            "--load-extracts",
            metavar="DIR",
            help="First record the people in a `build_city` output directory.",
        )
        parser.add_argument("--run", help="Do the pending run started from the web page.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["load_extracts"]:
            loaded = services.load_identities_from_extracts(options["load_extracts"])
            for source, counts in loaded.items():
                self.stdout.write(
                    f"{source}: {counts['created']} new, {counts['updated']} changed, "
                    f"{counts['unchanged']} unchanged"
                )
        run = None
        if options["run"]:
            run = LinkageRun.objects.filter(
                public_id=options["run"], status=RunStatus.RUNNING
            ).first()
            if run is None:
                raise CommandError("No pending linkage run with that id.")
        try:
            run = services.run_linkage(
                run.engine if run else options["engine"],
                channel="cli",
                incremental=options["incremental"],
                retrain=options["retrain"],
                run=run,
            )
        except Refused as refused:
            raise CommandError(str(refused)) from refused
        except Exception as error:
            raise CommandError(
                f"Linkage failed ({type(error).__name__}); the previous clusters are kept."
            ) from error
        self.stdout.write(
            f"Linked {run.records:,} records into {run.clusters:,} clusters in "
            f"{run.seconds or 0:.1f} s ({run.get_engine_display()}, {run.get_mode_display()}): "
            f"{run.links:,} links, {run.review_pairs:,} pairs to review."
        )
