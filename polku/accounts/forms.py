from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User


class LoginForm(AuthenticationForm):
    """Password step; the error never says whether the user name exists."""

    error_messages = {
        "invalid_login": _("The user name or password is incorrect."),
        "inactive": _("The user name or password is incorrect."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("User name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Password")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "min_length": _("The code has six digits."),
            "max_length": _("The code has six digits."),
            "required": _("Enter the six-digit code."),
        },
    )


class ContactDetailsForm(forms.ModelForm):
    """A professional's own work contact details (the e-mail address is the administrator's
    to change: it receives password resets)."""

    class Meta:
        model = User
        fields = ["title", "phone"]
