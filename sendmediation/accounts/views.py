from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts import services
from sendmediation.accounts.forms import SecondFactorCodeForm, SignInForm
from sendmediation.accounts.middleware import second_factor_not_required
from sendmediation.accounts.models import User
from sendmediation.accounts.second_factor import (
    confirmed_device,
    grouped_secret,
    qr_code_svg,
    safe_next,
    second_factor_pending,
    with_next,
)


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        # A visitor's session may have been stretched to keep their request answers (intake): a
        # signed-in member of staff gets the normal, shorter session again.
        self.request.session.set_expiry(None)
        return response

    def get_success_url(self) -> str:
        # LoginView has already refused a `next` on another site.
        next_url = super().get_success_url()
        # Straight after the password, request.user is a plain user that counts as not verified.
        if second_factor_pending(self.request.user):
            return with_next("accounts:second_factor", next_url)
        return next_url


sign_in = SignInView.as_view()
sign_out = second_factor_not_required(auth_views.LogoutView.as_view())


@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return redirect("cases:my_work")


# The app this session is setting up: its secret is shown to this session only.
PENDING_DEVICE_KEY = "second_factor_pending_device"


def _mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    # A new session key for the more trusted session, as at sign-in.
    request.session.cycle_key()
    otp_login(request, device)


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the person's authenticator app, or set one up first."""
    next_url = safe_next(request)
    if not second_factor_pending(request.user):
        return redirect(next_url)
    user: User = request.user  # type: ignore[assignment]
    if confirmed_device(user) is None:
        return redirect(with_next("accounts:set_up_second_factor", next_url))
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            device = services.check_sign_in_code(user=user, code=form.cleaned_data["code"])
        except services.NoAuthenticatorApp:
            return redirect(with_next("accounts:set_up_second_factor", next_url))
        except services.SecondFactorError as refusal:
            form.add_error("code", refusal.message)
        else:
            _mark_verified(request, device)
            return redirect(next_url)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_up_second_factor(request: HttpRequest) -> HttpResponse:
    """A person with no authenticator app adds one: scan or type the secret, then prove it with a code."""
    next_url = safe_next(request)
    if not second_factor_pending(request.user):
        return redirect(next_url)
    user: User = request.user  # type: ignore[assignment]
    # Someone who has an app gives its code: a password alone must never add another app.
    if confirmed_device(user) is not None:
        return redirect(with_next("accounts:second_factor", next_url))
    form = SecondFactorCodeForm(request.POST if request.method == "POST" else None)
    pending = request.session.get(PENDING_DEVICE_KEY)
    to_code_page = with_next("accounts:second_factor", next_url)
    if form.is_valid():
        try:
            device = services.confirm_authenticator(
                user=user, device_id=pending, code=form.cleaned_data["code"]
            )
        except services.AlreadySetUp:
            return redirect(to_code_page)
        except services.SecondFactorError as refusal:
            form.add_error("code", refusal.message)
        else:
            request.session.pop(PENDING_DEVICE_KEY, None)
            _mark_verified(request, device)
            return redirect(next_url)
    try:
        device = services.start_authenticator_set_up(user=user, device_id=pending)
    except services.AlreadySetUp:
        return redirect(to_code_page)
    request.session[PENDING_DEVICE_KEY] = device.pk
    return render(
        request,
        "accounts/set_up_second_factor.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_code_svg(device),
            "secret": grouped_secret(device),
        },
    )
