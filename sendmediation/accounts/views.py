from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from sendmediation.accounts.forms import SignInForm

sign_in = auth_views.LoginView.as_view(
    template_name="accounts/sign_in.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)
sign_out = auth_views.LogoutView.as_view()


@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    return redirect("cases:my_work")
