"""What other apps hear about a case without the case knowing them.

``case_stopped`` is sent inside the transaction that withdraws or closes a case, after its event is
written, with ``case``, ``actor`` and ``on``. The meetings app cancels the meetings still to come
and the agreements app stops signing links, each in the same transaction, so nothing is left
pointing at a case that no longer goes on.
"""

from django.dispatch import Signal

case_stopped = Signal()
