"""Errors that reach the user as one line (what was wrong, where, how to fix it)."""


class UserError(Exception):
    """Bad input from the user: the CLI prints it as one line and exits with code 2."""
