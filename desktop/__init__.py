"""Shomei's Qt desktop app: a thin layer over :mod:`signing`'s public API."""
