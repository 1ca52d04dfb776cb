"""Shomei's Qt desktop app: a thin layer over :mod:`signing`'s public API."""

from signing.api import keep_none_alive

keep_none_alive()
