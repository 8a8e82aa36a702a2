/* Progressive enhancement only: every form works without this file.
   After htmx swaps a form in place, move the keyboard focus to what the user must read next:
   the error summary when there is one, otherwise the first field of the new form. */
document.addEventListener("htmx:afterSwap", function (event) {
  var root = event.detail.target;
  if (!root || !root.querySelector) { return; }
  var swapped = document.getElementById(root.id) || root;
  var target = swapped.querySelector("[data-focus]") ||
    swapped.querySelector("input:not([type=hidden]), select, textarea");
  if (target) { target.focus(); }
});

/* A page that comes back with an error summary (the form was refused) starts there. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
});
