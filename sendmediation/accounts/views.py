from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts import permissions, services, staff_sessions
from sendmediation.accounts.forms import SecondFactorCodeForm, SignInForm
from sendmediation.accounts.middleware import second_factor_not_required
from sendmediation.accounts.models import SecondFactorInvitation, User
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signed_out_idle"] = self.request.session.pop(staff_sessions.SIGNED_OUT_IDLE_KEY, False)
        context["idle_minutes"] = staff_sessions.idle_seconds() // 60
        return context

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
# The manager's link this session opened: only this session may set up an app with it.
INVITATION_KEY = "second_factor_invitation"


def _mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    # A new session key for the more trusted session, as at sign-in.
    request.session.cycle_key()
    otp_login(request, device)
    staff_sessions.touch_staff_session(request=request, force=True)


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
    invitation = request.session.get(INVITATION_KEY)
    to_code_page = with_next("accounts:second_factor", next_url)
    if form.is_valid():
        try:
            device = services.confirm_authenticator(
                user=user, invitation_id=invitation, device_id=pending, code=form.cleaned_data["code"]
            )
        except services.AlreadySetUp:
            return redirect(to_code_page)
        except services.NoInvitation:
            return _ask_a_manager(request)
        except services.SecondFactorError as refusal:
            form.add_error("code", refusal.message)
        else:
            request.session.pop(PENDING_DEVICE_KEY, None)
            request.session.pop(INVITATION_KEY, None)
            _mark_verified(request, device)
            return redirect(next_url)
    try:
        device = services.start_authenticator_set_up(user=user, invitation_id=invitation, device_id=pending)
    except services.AlreadySetUp:
        return redirect(to_code_page)
    except services.NoInvitation:
        return _ask_a_manager(request)
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


def _ask_a_manager(request: HttpRequest) -> HttpResponse:
    """A password alone never sets up an app: without a manager's link, this page only."""
    return render(request, "accounts/ask_a_manager.html", status=403)


@login_not_required
@second_factor_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def open_second_factor_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A manager's one-time link. Opening it shows a button; pressing the button spends the link, and
    this session (and only this one) may then set up the person's app. Someone not yet signed in
    signs in next."""
    signed_in: User | None = request.user if request.user.is_authenticated else None
    try:
        if request.method != "POST":
            services.check_invitation(token=token, user=signed_in)
            return render(request, "accounts/open_invitation.html")
        invitation = services.open_invitation(token=token, user=signed_in)
    except services.InvitationRefused as refusal:
        return render(request, "accounts/invitation_refused.html", {"reason": refusal.message}, status=410)
    request.session[INVITATION_KEY] = invitation.pk
    request.session.pop(PENDING_DEVICE_KEY, None)
    if signed_in is None:
        return redirect("accounts:sign_in")
    return redirect("accounts:set_up_second_factor")


# --- managers: links to set up an authenticator app ----------------------------------------------


def _staff_with_second_factor_state() -> Any:
    now = timezone.now()
    open_links = SecondFactorInvitation.objects.filter(
        user=OuterRef("pk"), set_up_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
    ).order_by("-created_at")
    return (
        User.objects.filter(is_active=True)
        .exclude(role="")
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            link_expires_at=Subquery(open_links.values("expires_at")[:1]),
            link_opened_at=Subquery(open_links.values("opened_at")[:1]),
        )
        .order_by("last_name", "first_name", "username")
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor_invitations(request: HttpRequest) -> HttpResponse:
    """Everyone who signs in, whether their app is set up, and a button to make each one a link."""
    if not permissions.can_invite_to_second_factor(request.user):
        raise PermissionDenied("Only a manager can make a link to set up an authenticator app")
    new_link = invited = refusal = None
    if request.method == "POST":
        person = get_object_or_404(
            User.objects.filter(is_active=True).exclude(role=""), pk=request.POST.get("user")
        )
        try:
            _, token = services.invite_to_second_factor(user=person, invited_by=request.user)  # type: ignore[arg-type]
        except services.CannotInvite as problem:
            refusal, invited = problem.message, person
        else:
            invited = person
            new_link = request.build_absolute_uri(
                reverse("accounts:open_second_factor_invitation", args=[token])
            )
    return render(
        request,
        "accounts/second_factor_invitations.html",
        {
            "people": _staff_with_second_factor_state(),
            "new_link": new_link,
            "invited": invited,
            "refusal": refusal,
            "link_hours": services.invitation_lifetime().total_seconds() // 3600,
            "nav": "second_factor",
        },
    )


# --- one's own sessions ---------------------------------------------------------------------------


def _own_sessions_only(user: Any) -> None:
    if not permissions.has_staff_account(user):
        raise PermissionDenied("Only staff have sessions to list")


@never_cache
@require_safe
def own_sessions(request: HttpRequest) -> HttpResponse:
    """Where this person is signed in, newest activity first, with ways to end them."""
    _own_sessions_only(request.user)
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/own_sessions.html",
        {
            "sessions": list(staff_sessions.current_sessions_of(user)),
            "this_session": staff_sessions.this_session_id(request),
            "idle_minutes": staff_sessions.idle_seconds() // 60,
            "nav": "sessions",
        },
    )


@never_cache
@require_POST
def sign_out_sessions(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere else keeps this session; "Sign out everywhere" ends this one too."""
    _own_sessions_only(request.user)
    keep = request.POST.get("which") != "everywhere"
    ended = staff_sessions.sign_out_everywhere(request=request, keep_this_session=keep)
    if not keep:
        return redirect("accounts:sign_in")
    messages.success(
        request,
        f"Signed out of {ended} other session{'' if ended == 1 else 's'}"
        if ended
        else "You were not signed in anywhere else",
    )
    return redirect("accounts:own_sessions")


@never_cache
@require_POST
def stay_signed_in(request: HttpRequest) -> HttpResponse:
    """Stay signed in: the time-out starts again. Answers the warning's script with the seconds
    left, and a form sent without JavaScript by going back to the page it came from."""
    _own_sessions_only(request.user)
    staff_sessions.touch_staff_session(request=request, force=True)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"seconds_left": staff_sessions.seconds_left(request)})
    return redirect(safe_next(request))


@never_cache
@require_safe
def session_status(request: HttpRequest) -> HttpResponse:
    """The seconds left before this session is signed out. Asking is not doing something: the
    middleware does not count this request, so an open tab never keeps a session alive by itself."""
    _own_sessions_only(request.user)
    return JsonResponse({"seconds_left": staff_sessions.seconds_left(request)})
