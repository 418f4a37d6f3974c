"""Public pages of training outside any region: certificate verification (no login).
Included by the composition root at /verifikasi/ ("verifikasi" is a reserved region slug)."""

from django.urls import path

from training.views import certificates

urlpatterns = [
    path("", certificates.verify_form, name="certificate_verify"),
    path("<str:code>/", certificates.verify_code, name="certificate_verify_code"),
]
