from django.urls import path

from sendmediation.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.second_factor, name="second_factor"),
    path("sign-in/set-up-app/", views.set_up_second_factor, name="set_up_second_factor"),
    path(
        "sign-in/set-up-app/<str:token>/",
        views.open_second_factor_invitation,
        name="open_second_factor_invitation",
    ),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/account/sessions/", views.own_sessions, name="own_sessions"),
    path("staff/account/sessions/sign-out/", views.sign_out_sessions, name="sign_out_sessions"),
    path("staff/account/stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
    path("staff/account/session-status/", views.session_status, name="session_status"),
    path("staff/second-factor-links/", views.second_factor_invitations, name="second_factor_invitations"),
]
