"""Pairing the toolbar: the token (shown to the signed-in dashboard) and its rotation."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pairing", __name__)
