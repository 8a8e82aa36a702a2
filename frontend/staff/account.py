"""A staff member's own settings: the language of their pages (User.language).

Staff read their pages in their own choice, else in what their browser asks for
(rehab.i18n.UserLanguageMiddleware); the choice is written by rehab.services.people.user_language_set.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from frontend.staff.views import staff_page
from rehab.models import Role
from rehab.services.people import user_language_set


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        choices=[("", gettext_lazy("The language my browser asks for")), *settings.LANGUAGES],
        required=False,
        widget=forms.RadioSelect,
        label=gettext_lazy("Language of your pages"),
        help_text=gettext_lazy("Your patients read theirs in their own language, whatever you choose here."),
    )


@staff_page(*Role.STAFF)
@require_http_methods(["GET", "POST"])
def account(request):
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        user = user_language_set(actor=request.user, language=form.cleaned_data["language"])
        # The confirmation is read in the language just chosen.
        translation.activate(user.language or translation.get_language_from_request(request))
        messages.success(request, gettext("Saved: your pages are in the language you chose."))
        return redirect("frontend:account")
    return render(request, "frontend/staff/account.html", {"form": form}, status=400 if form.errors else 200)
