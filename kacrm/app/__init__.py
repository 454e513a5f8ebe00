"""Joined-up tasks: load → compute → store → result, called by the CLI and the demo."""
