/*
 * The page's words for its scripts: gettext, ngettext and interpolate over the djangojs catalogue that
 * the page carries ({% js_catalogue %}, frontend/templatetags/js_catalogue.py), so a page read offline
 * from the service worker's copy still speaks its reader's language. Loaded before the other scripts.
 * Every shipped language has two plural forms (n != 1); a text missing from the catalogue stays English.
 */
(function () {
  "use strict";
  const node = document.getElementById("js-catalogue");
  const catalogue = node ? JSON.parse(node.textContent) : {};

  window.gettext = function (text) {
    const found = catalogue[text];
    return typeof found === "string" && found ? found : text;
  };

  window.ngettext = function (singular, plural, count) {
    const found = catalogue[singular];
    const index = count === 1 ? 0 : 1;
    if (Array.isArray(found) && found[index]) return found[index];
    return index === 0 ? singular : plural;
  };

  // interpolate("%(count)s of %(total)s", {count: 1, total: 3}): named placeholders, as the .po files keep.
  window.interpolate = function (format, values) {
    return format.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  };
})();
