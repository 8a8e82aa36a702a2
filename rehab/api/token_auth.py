"""API token authentication: knox's check without its sweep of the user's other tokens on every call.

knox reads all of a user's tokens on each request to delete the expired ones, a second query on every
API call. Here only the presented token's own expiry is checked (an expired token is refused and
deleted as knox does); the other expired tokens are deleted by the daily rehab.tasks.purge_expired_tokens.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from rehab import selectors
from rehab.i18n import activate_chosen_language


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token):
        # knox's check, with the patient record and its clinic joined to the login in the same query:
        # a patient's messages are in their own language (rehab.i18n), at no extra query.
        msg = _("Invalid token.")
        token = token.decode("utf-8")
        for auth_token in selectors.api_tokens_for_key(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(msg) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def authenticate(self, request):
        # A token user's own language (User.language) over Accept-Language: the API's messages
        # (DRF's, the serializers' and the services') are read in it from here on.
        authenticated = super().authenticate(request)
        if authenticated is not None:
            activate_chosen_language(request._request, authenticated[0])
        return authenticated

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema names this scheme as drf-spectacular names knox's: the same header, the same prefix."""

    target_class = TokenAuthentication
    name = "knoxApiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header("")
        )
