from django import forms
from django.utils.translation import gettext, gettext_lazy


class ActivationForm(forms.Form):
    date_of_birth = forms.DateField(
        label=gettext_lazy("Your date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=gettext_lazy("So we know the link reached you."),
    )
    password = forms.CharField(
        label=gettext_lazy("Choose a password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters. A short sentence you will remember works well."),
    )
    password_again = forms.CharField(
        label=gettext_lazy("Type it again"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", gettext("The two passwords are not the same."))
        return cleaned
