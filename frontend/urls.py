from django.contrib.auth import views as auth_views
from django.urls import include, path

from frontend import views
from frontend.staff import mfa as views_mfa

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="frontend/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("activate/<str:token>/", views.activate, name="activate"),
    # Two-step sign-in for staff (rehab/mfa.py sends half-signed-in staff here).
    path("mfa/setup/", views_mfa.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views_mfa.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", views_mfa.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("plans/<int:plan_id>/email/", views.plan_email, name="plan_email"),
    # Pages of each role live in their own modules (frontend/staff/, frontend/patient/).
    path("", include("frontend.staff.urls")),
    path("", include("frontend.patient.urls")),
]
