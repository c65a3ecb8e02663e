"""Instagram professional account: image posts (or Reels) through the Graph API's content publishing."""

from .adapter import adapt
from .transport import Transport

__all__ = ["Transport", "adapt"]
