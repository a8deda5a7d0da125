from typing import Any

from django.http import HttpRequest

from config.brand import brand
from sendmediation.accounts.second_factor import second_factor_pending


def service(request: HttpRequest) -> dict[str, Any]:
    def staff_frame() -> bool:
        """True for a member of staff who has finished signing in, second factor and all. Called
        only by the templates that ask, so public pages never look at the session."""
        user = getattr(request, "user", None)
        return bool(getattr(user, "role", "")) and not second_factor_pending(user)

    return {"brand": brand(), "csp_nonce": getattr(request, "csp_nonce", ""), "staff_frame": staff_frame}
