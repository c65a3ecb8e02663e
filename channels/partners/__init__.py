"""Partner media and KIM: push webhooks (a delivery per partner and article) and WebSub pings.

The feeds partners pull are in ``channels.feeds``; the partners themselves in ``models.partners``.
"""

from .adapter import adapt
from .transport import Transport

__all__ = ["Transport", "adapt"]
