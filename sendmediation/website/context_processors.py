from typing import Any

from django.http import HttpRequest

from config.brand import brand


def service(request: HttpRequest) -> dict[str, Any]:
    return {"brand": brand(), "csp_nonce": getattr(request, "csp_nonce", "")}
