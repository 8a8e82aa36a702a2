from django import forms


class ActivationForm(forms.Form):
    date_of_birth = forms.DateField(
        label="Your date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text="So we know the link reached you.",
    )
    password = forms.CharField(
        label="Choose a password",
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters. A short sentence you will remember works well.",
    )
    password_again = forms.CharField(
        label="Type it again", max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", "The two passwords are not the same.")
        return cleaned
