"""A transport whose answers a test scripts, recording every call (for engine tests)."""

from channels.transports.base import Delivered, Transport


class ScriptedTransport(Transport):
    """Answers ``send``/``edit``/``retract`` from ``ScriptedTransport.script`` (FIFO), then delivers."""

    supports_edit = True
    supports_retract = True
    script: list = []
    calls: list = []
    found: Delivered | None = None  # what lookup() finds

    @classmethod
    def reset(cls, *results, edit=True, retract=True):
        cls.script, cls.calls, cls.found = list(results), [], None
        cls.supports_edit, cls.supports_retract = edit, retract

    def _answer(self, operation, *args):
        type(self).calls.append((operation, self.account.pk, *args))
        if type(self).script:
            return type(self).script.pop(0)
        return Delivered(external_id=f"post-{len(type(self).calls)}", external_url="https://platform.example/p")

    def send(self, post, *, attempt_key):
        return self._answer("send", post.text, post.link)

    def edit(self, external_id, post):
        return self._answer("edit", external_id, post.text) if self.supports_edit else super().edit(external_id, post)

    def retract(self, external_id):
        return self._answer("retract", external_id) if self.supports_retract else super().retract(external_id)

    def lookup(self, post, *, attempt_key):
        type(self).calls.append(("lookup", self.account.pk, attempt_key))
        return type(self).found
