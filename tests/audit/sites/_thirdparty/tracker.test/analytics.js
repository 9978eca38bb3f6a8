/* "Shop Stats": an audience-measurement tag. First-party id cookie written from this
   script, a localStorage key, and a beacon whose response sets a third-party cookie. */
(function () {
  document.cookie = "_pa_id=v1; max-age=34128000; path=/; SameSite=Lax";
  try { localStorage.setItem("_pa_last_visit", "1"); } catch (e) {}
  new Image().src = "https://tracker.test:{{HTTPS}}/collect?p=" + encodeURIComponent(location.pathname);
})();
