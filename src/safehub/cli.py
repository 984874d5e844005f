"""The `safehub` console command: Django's management commands under the project's own name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. `safehub migrate` or `safehub score_screening ...`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "safehub"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
