"""`safehub build_city`: build the synthetic city, write its extracts and truth, or load it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.demo.city.build import build_city
from safehub.demo.city.load import CityAlreadyLoaded, load_city
from safehub.demo.city.spec import SIZES, make_spec, parse_error_rates


class Command(BaseCommand):
    help = (
        "Build the synthetic city (deterministic for a size and seed): --out writes the agency "
        "extracts and the truth files; --load puts it into the application database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, help="directory for the extracts and truth")
        parser.add_argument("--load", action="store_true", help="load into the database")
        parser.add_argument(
            "--replace", action="store_true", help="with --load: replace a loaded city"
        )
        parser.add_argument(
            "--errors",
            default="",
            help="error rates for the extracts, e.g. typo=0.05,dob_missing=0.1",
        )
        parser.add_argument("--workers", type=int, default=2, help="processes for --out")

    def handle(self, *args: Any, **options: Any) -> None:
        size, seed, out = options["size"], options["seed"], options["out"]
        if not out and not options["load"]:
            raise CommandError("Say what to do: --out DIR, --load, or both.")
        if options["load"] and size == "region":
            raise CommandError("The region is for benchmarks: write it with --out, not --load.")
        if options["load"] and options["errors"]:
            raise CommandError("--errors applies to the extracts (--out), not to --load.")
        try:
            spec = make_spec(size, seed, error_rates=parse_error_rates(options["errors"]))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if out:
            try:
                manifest = build_city(spec, out, workers=max(1, options["workers"]))
            except FileExistsError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Wrote the {size} city (seed {seed}) to {out} in {manifest['seconds']} s: "
                f"{manifest['children']:,} children, {manifest['people']:,} people."
            )
            for table, rows in manifest["rows"].items():
                self.stdout.write(f"  {table:<45} {rows:>12,}")
        if options["load"]:
            started = time.perf_counter()
            try:
                counts = load_city(size, seed, replace=options["replace"])
            except CityAlreadyLoaded as exc:
                raise CommandError(str(exc)) from exc
            seconds = round(time.perf_counter() - started, 2)
            self.stdout.write(f"Loaded the {size} city (seed {seed}) in {seconds} s:")
            self.stdout.write(json.dumps(counts, sort_keys=True))
