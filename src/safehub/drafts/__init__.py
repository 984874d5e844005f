"""Form drafts: what a user typed into a form, kept on the server so no work is lost."""
