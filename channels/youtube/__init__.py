"""YouTube: video uploads through the Data API v3; community posts (no API) become staff tasks."""

from .adapter import adapt
from .transport import Transport

__all__ = ["Transport", "adapt"]
