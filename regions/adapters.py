from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open self-sign-up: admins create or import employees and invite them."""

    def is_open_for_signup(self, request):
        return False
