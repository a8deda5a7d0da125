"""The product's URLs plus a bare view returning constant JSON: the baseline the API is compared with."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

BARE_PATH = "bench/constant"
CONSTANT = {
    "postcode": "SW1A 1AA",
    "country": "England",
    "local_authority": {"code": "E09000033", "name": "Westminster"},
    "covered": True,
}


@login_not_required
def constant(request: HttpRequest) -> JsonResponse:
    return JsonResponse(CONSTANT)


urlpatterns = [path(BARE_PATH, constant), *product_urlpatterns]
