"""`safehub create_api_token USERNAME NAME`: issue an API token for a partner system."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.accounts.models import User
from safehub.accounts.services import issue_api_token
from safehub.policy import Action, allows


class Command(BaseCommand):
    help = "Issue an API token for USERNAME. The token is printed once and cannot be shown again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. the partner system's name")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}.")
        if not allows(user, Action.API_USE):
            raise CommandError("That user's roles do not allow API use.")
        token = issue_api_token(user=user, name=options["name"])
        self.stdout.write(token)
