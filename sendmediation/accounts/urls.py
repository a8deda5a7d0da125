from django.urls import path

from sendmediation.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.second_factor, name="second_factor"),
    path("sign-in/set-up-app/", views.set_up_second_factor, name="set_up_second_factor"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("staff/", views.staff_home, name="staff_home"),
]
