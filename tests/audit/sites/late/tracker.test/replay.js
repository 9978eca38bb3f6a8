/* "Shop Replay": a session-replay tag that starts recording 2.5 s after it loads, as such
   tools do, then sets its id cookie, a localStorage key and sends a beacon. */
(function () {
  setTimeout(function () {
    document.cookie = "_replay_id=r1; max-age=31536000; path=/; SameSite=Lax";
    try { localStorage.setItem("_replay_session", "1"); } catch (e) {}
    new Image().src = "https://tracker.test:{{HTTPS}}/collect?replay=1";
  }, 2500);
})();
