from django.urls import path

from sendmediation.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("staff/", views.staff_home, name="staff_home"),
]
