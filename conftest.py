"""Shared test set-up: pytester for end-to-end CLI and plugin tests."""

pytest_plugins = ["pytester"]
