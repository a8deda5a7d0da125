from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "The username or password is not right. Check them and try again.",
        "inactive": "This account has been switched off. Ask your manager to switch it back on.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.error_messages["required"] = "Enter your username"
        # The parent sets max_length after the field is made, so nothing checks it: a long name
        # would reach the failed sign-in record (255 characters) and PostgreSQL would refuse it.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput()


class SecondFactorCodeForm(forms.Form):
    """The 6-digit code from an authenticator app. Spaces and dashes people type are ignored."""

    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app",
        required=True,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError("The code must be 6 digits", code="format")
        return code
