"""Implementations of the `insightbot` subcommands; bot/cli.py only parses arguments."""
