"""Facebook Page: link or photo posts through the Graph API."""

from .adapter import adapt
from .transport import Transport

__all__ = ["Transport", "adapt"]
