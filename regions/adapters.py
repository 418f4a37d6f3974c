from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open self-sign-up: admins create or import employees and invite them."""

    def is_open_for_signup(self, request):
        return False


def user_display(user) -> str:
    """How a user is named in messages ("Berhasil masuk sebagai ..."): their name, not NIP."""
    return user.first_name or user.get_username()
