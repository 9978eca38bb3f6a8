"""Find the consent banner and refuse or accept everything, the way a visitor would.

First DuckDuckGo's autoconsent engine (duckduckgo-autoconsent-py: 1,000+ consent-manager
rules) runs in every frame of the landing page. For banners it does not know, a fallback
finds the refuse and accept buttons by their text in the page's language, inside open
shadow roots and iframes too. Cosmetic rules (hiding a banner without answering it) are
off: hiding is not refusing.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from privacy_audit.consent.autoconsent import BANNER_SHOWN, engine, rules_json_for_frame
from privacy_audit.i18n import Text, text
from privacy_audit.observations import BannerResult, described
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import Frame, Page

Action = Literal["none", "reject", "accept", "close"]
Choice = Literal["refuse", "accept"]

# Most specific first: "tout refuser" is preferred to "refuser" when both are on the page.
REFUSE_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "tout refuser",
        "refuser tout",
        "refuser tous les cookies",
        "refuser les cookies",
        "tout rejeter",
        "continuer sans accepter",
        "je refuse",
        "refuser et fermer",
        "refuser",
        "rejeter",
        "non merci",
        "interdire tous les cookies",
        "interdire",
    ),
    "en": (
        "reject all",
        "reject all cookies",
        "decline all",
        "deny all",
        "refuse all",
        "reject cookies",
        "decline cookies",
        "continue without accepting",
        "use necessary cookies only",
        "necessary cookies only",
        "only necessary cookies",
        "only necessary",
        "necessary only",
        "only essential cookies",
        "essential only",
        "reject",
        "decline",
        "deny",
        "refuse",
        "no thanks",
        "disagree",
    ),
    "de": (
        "alle ablehnen",
        "cookies ablehnen",
        "nur notwendige cookies",
        "nur notwendige",
        "nur erforderliche cookies",
        "ablehnen",
        "nicht einverstanden",
        "weiter ohne einwilligung",
    ),
    "es": (
        "rechazar todo",
        "rechazar todas",
        "rechazar todas las cookies",
        "rechazar cookies",
        "continuar sin aceptar",
        "solo necesarias",
        "rechazar",
        "no acepto",
    ),
    "it": (
        "rifiuta tutto",
        "rifiuta tutti",
        "rifiuta tutti i cookie",
        "rifiuta i cookie",
        "continua senza accettare",
        "solo necessari",
        "rifiuta",
        "non accetto",
    ),
    "nl": (
        "alles weigeren",
        "alle weigeren",
        "alles afwijzen",
        "alle cookies weigeren",
        "cookies weigeren",
        "alleen noodzakelijke cookies",
        "weigeren",
        "afwijzen",
    ),
}
ACCEPT_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "tout accepter",
        "accepter tout",
        "accepter tous les cookies",
        "accepter les cookies",
        "tout autoriser",
        "autoriser tous les cookies",
        "accepter et fermer",
        "accepter et continuer",
        "j'accepte",
        "accepter",
        "autoriser",
        "ok pour moi",
        "d'accord",
    ),
    "en": (
        "accept all",
        "accept all cookies",
        "allow all",
        "allow all cookies",
        "accept cookies",
        "allow cookies",
        "accept and close",
        "accept and continue",
        "i accept",
        "i agree",
        "accept",
        "agree",
        "allow",
        "got it",
        "ok",
    ),
    "de": (
        "alle akzeptieren",
        "alle cookies akzeptieren",
        "alle zulassen",
        "alle erlauben",
        "akzeptieren",
        "zustimmen",
        "einverstanden",
        "ich stimme zu",
        "annehmen",
    ),
    "es": (
        "aceptar todo",
        "aceptar todas",
        "aceptar todas las cookies",
        "aceptar cookies",
        "permitir todas",
        "aceptar",
        "acepto",
        "de acuerdo",
    ),
    "it": (
        "accetta tutto",
        "accetta tutti",
        "accetta tutti i cookie",
        "accetta i cookie",
        "consenti tutti",
        "accetta",
        "accetto",
        "ho capito",
    ),
    "nl": (
        "alles accepteren",
        "alle cookies accepteren",
        "alles toestaan",
        "accepteren",
        "akkoord",
        "toestaan",
        "ik ga akkoord",
    ),
}

# The settings layer of a banner, its save button, and its close control.
SETTINGS_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "personnaliser",
        "paramétrer",
        "parametrer",
        "paramétrer les cookies",
        "gérer mes choix",
        "gérer les cookies",
        "gérer mes préférences",
        "personnaliser mes choix",
        "en savoir plus et personnaliser",
        "préférences",
        "paramètres",
    ),
    "en": (
        "settings",
        "cookie settings",
        "manage options",
        "manage preferences",
        "manage cookies",
        "customize",
        "customise",
        "preferences",
        "more options",
    ),
    "de": ("einstellungen", "cookie-einstellungen", "anpassen", "mehr optionen"),
    "es": ("configurar", "personalizar", "configuración"),
    "it": ("personalizza", "impostazioni", "gestisci preferenze"),
    "nl": ("instellingen", "aanpassen", "voorkeuren"),
}
SAVE_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": (
        "enregistrer mes choix",
        "enregistrer",
        "valider mes choix",
        "valider",
        "confirmer mes choix",
        "sauvegarder",
    ),
    "en": ("save my choices", "save settings", "save preferences", "confirm my choices", "save"),
    "de": ("auswahl speichern", "speichern", "auswahl bestätigen"),
    "es": ("guardar preferencias", "guardar"),
    "it": ("salva preferenze", "salva"),
    "nl": ("voorkeuren opslaan", "opslaan"),
}
CLOSE_PHRASES: dict[str, tuple[str, ...]] = {
    "fr": ("fermer", "fermer la fenêtre"),
    "en": ("close", "dismiss"),
    "de": ("schließen",),
    "es": ("cerrar",),
    "it": ("chiudi",),
    "nl": ("sluiten",),
}
CLOSE_GLYPHS = ("×", "✕", "✖", "x", "X", "✗")
KINDS = ("refuse", "accept", "settings", "save", "close")

# Runs in one frame: marks the best visible refuse and accept controls of a cookie notice
# with data-privacy-pages-choice (unless ``mark`` is false), piercing open shadow roots.
FIND_CONTROLS_SCRIPT = r"""([lists, glyphs, mark = true]) => {
  const norm = s => (s || '').replace(/[\u2019\u2018`]/g, "'").replace(/\s+/g, ' ')
    .replace(/^[\s\u00d7\u2715\u2716>›»✓✔:.!-]+|[\s\u00d7\u2715\u2716>›»✓✔:.!-]+$/g, '')
    .trim().toLowerCase();
  const context = new RegExp(['cookie', 'consent', 'traceur', 'tracker', 'privacy', 'vie privée',
    'confidentialit', 'datenschutz', 'privacidad', 'riservatezza', 'gegevens', 'données',
    'donnees', 'rgpd', 'gdpr'].join('|'), 'i');
  const clickable = ['button', 'a', '[role=button]', 'input[type=button]', 'input[type=submit]',
    '[onclick]', '[tabindex]'].join(', ');
  const found = [];
  const visit = root => {
    for (const el of root.querySelectorAll(clickable)) found.push(el);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const st = getComputedStyle(el);
    return st.visibility !== 'hidden' && st.display !== 'none' && Number(st.opacity) > 0.05;
  };
  const aboutCookies = el => {
    let node = el;
    for (let i = 0; i < 10 && node; i++) {
      const text = node.innerText || node.textContent || '';
      if (context.test(text.slice(0, 5000)) || context.test(node.id || '') ||
          context.test(typeof node.className === 'string' ? node.className : '')) return true;
      node = node.parentElement || (node.getRootNode && node.getRootNode().host) || null;
    }
    return false;
  };
  const best = {};
  for (const el of found) {
    const raw = (el.innerText || el.value || '').trim();
    const aria = norm(el.getAttribute('aria-label') || el.title || '');
    const label = norm(raw || aria);
    for (const kind of Object.keys(lists)) {
      let rank = lists[kind].indexOf(label);
      if (rank < 0 && kind === 'close') {
        if (glyphs.includes(raw)) rank = 0;
        else if (aria) rank = lists.close.indexOf(aria);
      }
      if (rank < 0 || (best[kind] && best[kind].rank <= rank)) continue;
      if ((label.length > 60) || !visible(el) || !aboutCookies(el)) continue;
      best[kind] = {rank, el, label: label || raw};
    }
  }
  const clear = root => {
    for (const el of root.querySelectorAll('[data-privacy-pages-choice]'))
      el.removeAttribute('data-privacy-pages-choice');
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) clear(el.shadowRoot);
  };
  if (mark) clear(document);
  const out = {};
  for (const kind of Object.keys(best)) {
    if (mark) best[kind].el.setAttribute('data-privacy-pages-choice', kind);
    out[kind] = {rank: best[kind].rank, label: best[kind].label.slice(0, 60)};
  }
  return out;
}"""

# Runs in the frame of a settings layer: unticks every ticked, enabled checkbox or switch of
# the cookie notice (purposes), as a visitor refusing there would; returns how many.
UNTICK_SCRIPT = r"""() => {
  let count = 0;
  const visit = root => {
    for (const box of root.querySelectorAll('input[type=checkbox], [role=switch]')) {
      const on = box.matches('input') ? box.checked : box.getAttribute('aria-checked') === 'true';
      if (on && !box.disabled && box.getAttribute('aria-disabled') !== 'true') {
        box.click(); count++;
      }
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  return count;
}"""

IS_STILL_VISIBLE_SCRIPT = r"""(kind) => {
  const find = root => {
    const el = root.querySelector(`[data-privacy-pages-choice="${kind}"]`);
    if (el) return el;
    for (const host of root.querySelectorAll('*'))
      if (host.shadowRoot) { const inner = find(host.shadowRoot); if (inner) return inner; }
    return null;
  };
  const el = find(document);
  if (!el || !el.isConnected) return false;
  const r = el.getBoundingClientRect();
  const st = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
}"""

# Runs in one frame after the choice: is there a way to change it (a "Manage cookies" link,
# the consent manager's floating icon)? Hidden footers count: they are reachable by scrolling.
WITHDRAW_SCRIPT = r"""() => {
  const words = new RegExp([
    '(g[ée]rer|gestion|param[èe]tr|pr[ée]f[ée]rences|modifier|personnaliser)' +
      '.{0,25}(cookies?|consentement|traceurs|choix)',
    '(cookies?|consent|privacy)[ -]?(settings|preferences|choices)',
    'manage (cookies|consent|preferences|privacy)', 'change (cookie|consent|privacy)',
    'cookie-?einstellungen', 'datenschutz-?einstellungen', 'einwilligung (ändern|verwalten)',
    'configuraci[óo]n de (las )?cookies', 'preferenze (dei )?cookie', 'gestisci (i )?cookie',
    'cookie-?instellingen', 'cookievoorkeuren',
  ].join('|'), 'i');
  const known = [  // the consent managers' own "change my choice" controls
    'a[href="#tarteaucitron"]', '#tarteaucitronIcon', '#tarteaucitronManager',
    '[data-cc="show-preferencesModal"]', '.ot-sdk-show-settings', '#ot-sdk-btn',
    '[onclick*="Cookiebot.renew"]', 'a[href*="javascript:Didomi"]', '.axeptio_widget',
    '[data-klaro-trigger]', '.cmplz-manage-consent',
  ].join(', ');
  const found = [];
  const visit = root => {
    for (const el of root.querySelectorAll(known)) found.push(el);
    for (const el of root.querySelectorAll('a, button, [role=button]')) {
      const label = (el.innerText || el.getAttribute('aria-label') || el.title || '').trim();
      if (label.length <= 80 && words.test(label)) found.push(el);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  return found.some(el => el.isConnected && getComputedStyle(el).display !== 'none');
}"""

AUTOCONSENT_CONFIG: dict[str, Any] = {
    "enabled": True,
    "autoAction": None,  # detect first, screenshot, then opt out or in on our signal
    "disabledCmps": [],
    "enablePrehide": False,  # the screenshot must show the banner
    "enableCosmeticRules": False,
    "enableGeneratedRules": True,
    "enableHeuristicDetection": True,
    "detectRetries": 6,
    "isMainWorld": True,
    "logs": {
        "lifecycle": False,
        "rulesteps": False,
        "evals": False,
        "errors": False,
        "messages": False,
        "waits": False,
        "detectionsteps": False,
    },
}

INIT_RESPONSE_SCRIPT = """([config, rules]) => window.autoconsentReceiveMessage &&
  window.autoconsentReceiveMessage(
    {type: 'initResp', config, rules: {autoconsent: JSON.parse(rules)}})"""
SEND_SCRIPT = (
    "(message) => window.autoconsentReceiveMessage && window.autoconsentReceiveMessage(message)"
)


PHRASE_TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "refuse": REFUSE_PHRASES,
    "accept": ACCEPT_PHRASES,
    "settings": SETTINGS_PHRASES,
    "save": SAVE_PHRASES,
    "close": CLOSE_PHRASES,
}


def banner_shown_script() -> str:
    """Defines, in every frame, the question autoconsent's tries ask (autoconsent_engine):
    does a refuse or accept control of a cookie notice show? The text scan's own test,
    marking nothing."""
    lists = {kind: phrases_for("", PHRASE_TABLES[kind]) for kind in ("refuse", "accept")}
    arguments = json.dumps([lists, list(CLOSE_GLYPHS), False])
    return (
        f"window.{BANNER_SHOWN} = () => {{ const found = ({FIND_CONTROLS_SCRIPT})({arguments});"
        " return Boolean(found.refuse || found.accept); };\n"
    )


DOM_CHANGED_BINDING = "__privacyPagesDomChanged"

# In every frame of the landing page: a burst of DOM changes (a banner drawn late, a shadow
# host attached) is reported once it paused for ``pause`` ms, so the scan runs at once
# instead of at its next poll.
DOM_WATCH_SCRIPT = """(() => {
  let waiting = false;
  const report = () => { waiting = false;
    try { window.BINDING && window.BINDING(); } catch (e) {} };
  const changed = () => { if (!waiting) { waiting = true; setTimeout(report, PAUSE); } };
  try { new MutationObserver(changed).observe(document,
    {childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style']});
  } catch (e) {}
})();
"""


def dom_watch_script(pause: float) -> str:
    """`DOM_WATCH_SCRIPT` reporting after ``pause`` seconds without change."""
    return DOM_WATCH_SCRIPT.replace("BINDING", DOM_CHANGED_BINDING).replace(
        "PAUSE", str(round(pause * 1000))
    )


def phrases_for(language: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """Every phrase, the page's language first, so its words win over lookalikes."""
    primary = (language or "").split("-")[0].lower()
    ordered = list(table.get(primary, ()))
    for lang, words in table.items():
        if lang != primary:
            ordered.extend(words)
    return list(dict.fromkeys(ordered))


@dataclass
class _Controls:
    """The controls of a cookie notice found in one frame, by kind, with their labels."""

    frame: "Frame"
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def refuse(self) -> str | None:
        return self.labels.get("refuse")

    @property
    def accept(self) -> str | None:
        return self.labels.get("accept")


def _first(controls: list[_Controls], kind: str) -> _Controls | None:
    return next((c for c in controls if c.labels.get(kind)), None)


@dataclass
class ConsentDriver:
    """Autoconsent on one landing page, plus the text fallback; install before navigating.

    ``notes`` collects what went wrong inside (a frame gone mid-call, a failed click): the
    crawler copies them into the phase's observations, so nothing is swallowed silently.
    """

    page: "Page"
    timeouts: Timeouts = field(default_factory=Timeouts)
    cmp: str | None = None
    popup_frame: "Frame | None" = None
    result: bool | None = None
    messages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _popup: asyncio.Event = field(default_factory=asyncio.Event)
    _nothing: asyncio.Event = field(default_factory=asyncio.Event)
    _heard: asyncio.Event = field(default_factory=asyncio.Event)  # any detection news
    _known: bool = False  # autoconsent recognised a consent manager (cmpDetected)
    _tried: set[Any] = field(default_factory=set)  # frames where a try saw the banner, in vain
    _signals: bool = False  # the engine reports the end of each try
    _dom_changed: asyncio.Event = field(default_factory=asyncio.Event)  # in any frame
    _done: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _failed: str | None = None
    _controls: list[_Controls] = field(default_factory=list)
    _seen: list[_Controls] = field(default_factory=list)  # the controls act() answered
    _language: str | None = None
    _installed: list[Any] = field(default_factory=list)  # the binding and the init script

    async def install(self) -> None:
        script, self._signals = engine()
        if self._signals:
            script = banner_shown_script() + script
        script = dom_watch_script(self.timeouts.dom_pause) + script
        self.page.on("frameattached", self._wake)
        try:
            self._installed.append(
                await self.page.expose_binding("autoconsentSendMessage", self._on_message)
            )
            self._installed.append(
                await self.page.expose_binding(DOM_CHANGED_BINDING, self._wake)
            )
            self._installed.append(await self.page.add_init_script(script=script))
        except Exception as error:  # the page crashed or closed: the fallback still works
            self._failed = _one_line(error)
            self.notes.append(f"autoconsent not installed: {self._failed}")

    def _wake(self, *_: Any) -> None:
        """The page changed (DOM, a new frame): the banner scan runs again now."""
        self._dom_changed.set()

    def _on_message(self, source: dict[str, Any], message: Any) -> None:
        if not isinstance(message, dict):
            return
        frame = source.get("frame")
        kind = message.get("type")
        if kind == "init" and frame is not None:
            rules = rules_json_for_frame(frame.url, frame.parent_frame is None)
            self._spawn(frame.evaluate(INIT_RESPONSE_SCRIPT, [AUTOCONSENT_CONFIG, rules]))
        elif kind == "eval" and frame is not None:
            self._spawn(self._answer_eval(frame, message))
        elif kind == "popupFound":
            if self.cmp is None:
                self.cmp = str(message.get("cmp") or "") or None
                self.popup_frame = frame
            self._popup.set()
            self._heard.set()
        elif kind == "cmpDetected":
            self._known = True
            self._heard.set()
        elif kind == "findCmpDone":
            if message.get("found"):
                self._known = True
            elif message.get("sawBanner") and frame is not None:
                self._tried.add(frame)
            self._heard.set()
        elif kind in ("optOutResult", "optInResult"):
            self.result = bool(message.get("result"))
            self._done.set()
        elif kind == "report" and message.get("mainFrame"):
            lifecycle = (message.get("state") or {}).get("lifecycle")
            if lifecycle == "nothingDetected":
                self._nothing.set()
        elif kind == "autoconsentError":
            self.messages.append(json.dumps(message.get("details"))[:200])

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finish_task)

    def _finish_task(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Frames vanish mid-call (navigation, banner removed): noted, not fatal.
            self.notes.append(f"autoconsent message not delivered: {_one_line(task.exception())}")

    async def _answer_eval(self, frame: "Frame", message: dict[str, Any]) -> None:
        try:
            value = bool(await frame.evaluate(str(message.get("code", "false"))))
        except Exception:  # autoconsent's probes run on any page: a failing probe means no
            value = False
        await frame.evaluate(
            SEND_SCRIPT, {"type": "evalResp", "id": message.get("id"), "result": value}
        )

    async def wait_for_banner(self, seconds: float, *, grace: bool = True) -> None:
        """Until a banner is found (autoconsent's signal, or controls in any frame), or the
        one deadline passes; autoconsent's "nothing detected" shortens the wait for banners
        drawn late to one more second."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            if self._popup.is_set():
                return
            self._dom_changed.clear()  # a change while scanning wakes the next scan
            self._controls = await self._scan_controls()
            if any(c.refuse or c.accept for c in self._controls):
                if grace:
                    # Autoconsent may still name the consent manager: its opt-out is cleaner.
                    await self.wait_for_autoconsent(
                        min(self.timeouts.autoconsent_grace, deadline - loop.time())
                    )
                return
            if self._nothing.is_set():
                deadline = min(deadline, loop.time() + 1.0)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:  # a change in the page, or the poll for what no event reports (shadow DOM)
                await asyncio.wait_for(
                    self._dom_changed.wait(), timeout=min(self.timeouts.banner_poll, remaining)
                )
            except asyncio.TimeoutError:
                pass

    async def wait_for_autoconsent(self, seconds: float) -> str | None:
        """Until autoconsent shows the banner it knows, or a try of it in every frame where
        the scan found the banner ended without recognising a consent manager (a banner it
        does not know: the text fallback answers), or ``seconds`` passed; the consent
        manager's name, when known."""
        if self._failed or self._nothing.is_set():
            return self.cmp
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        controls = self._controls or self._seen
        frames = {c.frame for c in controls if c.refuse or c.accept}
        while not self._popup.is_set():
            if self._signals and not self._known and frames <= self._tried:
                break
            remaining = end - loop.time()
            if remaining <= 0:
                break
            self._heard.clear()
            try:
                await asyncio.wait_for(self._heard.wait(), timeout=remaining)
            except asyncio.TimeoutError:
                break
        return self.cmp

    def found_label(self, kind: str) -> str | None:
        """The label of a control of ``kind`` the last scan found, if any."""
        return next((c.labels[kind] for c in self._seen if c.labels.get(kind)), None)

    async def act(self, action: Action, seconds: float | None = None) -> BannerResult:
        """Refuse, accept, close, or only look (``none``), and say what happened and how.
        Whether the choice can be withdrawn is for the caller to ask (`withdraw_option_found`)
        while the page settles."""
        seconds = self.timeouts.choice if seconds is None else seconds
        controls = await self._scan_controls() if not self._controls else self._controls
        self._controls = []
        self._seen = controls
        refuse_found = any(c.refuse for c in controls)
        accept_found = any(c.accept for c in controls)
        detected = self._popup.is_set() or refuse_found or accept_found
        if not detected:
            return BannerResult(
                detected=False,
                action=action if action != "close" else "none",
                method="none",
                succeeded=False,
                reject_option_found=None,
                **described(text("banner_detail.no_banner")),
            )
        seen = self._describe(controls)
        if action in ("none", "close"):
            return BannerResult(
                detected=True,
                action="none",
                method="none",
                cmp=self.cmp,
                succeeded=False,
                reject_option_found=refuse_found,
                **described(text("banner_detail.unanswered", seen=seen)),
            )
        kind: Choice = "refuse" if action == "reject" else "accept"
        if self._popup.is_set() and self.popup_frame is not None:
            succeeded = await self._autoconsent(action, seconds)
            if succeeded and await self._still_shown(controls, kind):
                # The rule clicked before the consent manager listened (it draws its banner
                # first): nothing was recorded. The banner's own button answers it.
                self.notes.append(
                    f"autoconsent rule {self.cmp!r} clicked, but the banner stayed: clicked again"
                )
                succeeded = False
            if succeeded:
                verb = "refused" if action == "reject" else "accepted"
                done_by = text(f"banner_detail.autoconsent_{verb}", cmp=repr(self.cmp), seen=seen)
                return BannerResult(
                    detected=True,
                    action=action,
                    method="autoconsent",
                    cmp=self.cmp,
                    succeeded=True,
                    reject_option_found=refuse_found,
                    **described(done_by),
                )
            controls = await self._scan_controls()
        clicked: list[str] = []
        done = await self._click(controls, kind, clicked)
        if done is None and kind == "refuse":
            done = await self._refuse_in_second_layer(controls, clicked)
        if done is not None:
            layers = text("banner_detail.second_layer") if len(clicked) > 1 else ""
            labels = " → ".join(repr(c) for c in clicked)
            key = "banner_detail.clicked" if done else "banner_detail.clicked_stayed"
            return BannerResult(
                detected=True,
                action=action,
                method="text-fallback",
                cmp=self.cmp,
                succeeded=done,
                reject_option_found=refuse_found,
                **described(text(key, labels=labels, layers=layers, seen=seen)),
                clicks=len(clicked),
                clicked=clicked,
            )
        missing = text(f"banner_detail.no_{kind}_option", seen=seen)
        if self.cmp:
            missing = text("banner_detail.autoconsent_failed", cmp=repr(self.cmp), rest=missing)
        return BannerResult(
            detected=True,
            action=action,
            method="none",
            cmp=self.cmp,
            succeeded=False,
            reject_option_found=refuse_found,
            **described(missing),
            clicks=len(clicked) or None,
            clicked=clicked,
        )

    async def _still_shown(self, controls: list[_Controls], kind: str) -> bool:
        """Whether the control of ``kind`` seen before a choice is still on screen once the
        banner had ``after_click`` to hide."""
        frames = [c.frame for c in controls if c.labels.get(kind)]
        if not frames:
            return False
        loop = asyncio.get_running_loop()
        end = loop.time() + self.timeouts.after_click
        while True:
            still = False
            for frame in frames:
                try:
                    still = still or bool(await frame.evaluate(IS_STILL_VISIBLE_SCRIPT, kind))
                except Exception:  # noqa: S112 - the frame went away with the banner: it hid
                    continue
            if not still or loop.time() >= end:
                return still
            await asyncio.sleep(self.timeouts.click_poll)

    async def close_banner(self) -> tuple[str | None, bool]:
        """Click the banner's close control (×); its label, and whether the banner went."""
        controls = self._controls or await self._scan_controls()
        self._controls = []
        clicked: list[str] = []
        done = await self._click(controls, "close", clicked)
        return (clicked[0] if clicked else None), bool(done)

    async def _refuse_in_second_layer(
        self, controls: list[_Controls], clicked: list[str]
    ) -> bool | None:
        """Open the settings layer, then "Reject all" there, or untick every purpose and save."""
        if await self._click(controls, "settings", clicked, check_hidden=False) is None:
            return None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeouts.second_layer
        while True:
            layer = await self._scan_controls()
            if _first(layer, "refuse") is not None:
                return await self._click(layer, "refuse", clicked)
            save = _first(layer, "save")
            if save is not None:
                try:
                    unticked = int(await save.frame.evaluate(UNTICK_SCRIPT))
                except Exception as error:
                    self.notes.append(f"could not untick the purposes: {_one_line(error)}")
                    unticked = 0
                clicked.extend(["(untick)"] * unticked)
                return await self._click(layer, "save", clicked)
            if loop.time() >= deadline:
                self.notes.append(
                    f"settings layer opened by {clicked[-1]!r} showed no refuse or save button"
                )
                return False
            await asyncio.sleep(self.timeouts.banner_poll)

    async def withdraw_option_found(self) -> bool:
        """Whether some frame of the page offers a way to change the choice just made."""
        await asyncio.sleep(self.timeouts.withdraw)
        for frame in list(self.page.frames):
            try:
                if await frame.evaluate(WITHDRAW_SCRIPT):
                    return True
            except Exception as error:
                self.notes.append(f"withdraw check skipped a frame: {_one_line(error)}")
        return False

    async def _autoconsent(self, action: Action, seconds: float) -> bool:
        assert self.popup_frame is not None
        message = {"type": "optOut" if action == "reject" else "optIn"}
        try:
            await self.popup_frame.evaluate(SEND_SCRIPT, message)
            await asyncio.wait_for(self._done.wait(), timeout=max(seconds, 1.0))
        except Exception as error:
            self.notes.append(f"autoconsent rule {self.cmp!r} did not answer: {_one_line(error)}")
            return False
        return bool(self.result)

    async def _scan_controls(self) -> list[_Controls]:
        found = []
        if self._language is None:
            try:
                self._language = str(
                    await self.page.evaluate("() => document.documentElement.lang || ''")
                )
            except Exception as error:
                self.notes.append(f"page language unknown: {_one_line(error)}")
                self._language = ""
        lists = {kind: phrases_for(self._language, table) for kind, table in PHRASE_TABLES.items()}
        for frame in list(self.page.frames):
            try:
                result = await frame.evaluate(FIND_CONTROLS_SCRIPT, [lists, list(CLOSE_GLYPHS)])
            except Exception:  # noqa: S112 - frames detach while scanned; the next scan sees
                continue
            if result:
                labels = {k: str(v.get("label")) for k, v in result.items() if v}
                found.append(_Controls(frame, labels))
        return found

    @staticmethod
    def _describe(controls: list[_Controls]) -> Text:
        refuse = next((c.refuse for c in controls if c.refuse), None)
        accept = next((c.accept for c in controls if c.accept), None)
        return text(
            "banner_detail.first_layer",
            refuse=text("banner_detail.refuse_button", label=repr(refuse))
            if refuse
            else text("banner_detail.no_refuse_button"),
            accept=text("banner_detail.accept_button", label=repr(accept))
            if accept
            else text("banner_detail.no_accept_button"),
        )

    async def _click(
        self, controls: list[_Controls], kind: str, clicked: list[str], check_hidden: bool = True
    ) -> bool | None:
        """Click the control of ``kind``; None when there is none, else whether it hid."""
        for control in controls:
            label = control.labels.get(kind)
            if not label:
                continue
            target = control.frame.locator(f'[data-privacy-pages-choice="{kind}"]').first
            try:
                await target.click(timeout=self.timeouts.choice * 1000)
            except Exception as error:
                try:  # covered by an overlay: a script click still answers the banner
                    await target.evaluate("el => el.click()", timeout=self.timeouts.read * 1000)
                except Exception:
                    self.notes.append(f"could not click {label!r}: {_one_line(error)}")
                    continue
            clicked.append(label)
            if not check_hidden:  # a layer opening: its caller looks for the next control
                return True
            loop = asyncio.get_running_loop()
            end = loop.time() + self.timeouts.after_click
            while True:
                try:
                    still = await control.frame.evaluate(IS_STILL_VISIBLE_SCRIPT, kind)
                except Exception:  # noqa: S110 - the frame went away with the banner: it hid
                    still = False
                if not still or loop.time() >= end:
                    return not still
                await asyncio.sleep(self.timeouts.click_poll)
        return None

    async def close(self) -> bool:
        """Stop listening and remove autoconsent from the tab's next pages; whether the tab
        is clean again (then it browses on, as the visitor's tab does after the choice)."""
        for task in list(self._tasks):
            task.cancel()
        self.page.remove_listener("frameattached", self._wake)
        clean = True
        for installed in reversed(self._installed):
            try:
                await asyncio.wait_for(installed.close(), timeout=self.timeouts.close)
            except Exception as error:  # the tab crashed or closed: it is not reused
                self.notes.append(f"autoconsent not removed from the tab: {_one_line(error)}")
                clean = False
        self._installed.clear()
        return clean


def _one_line(error: BaseException | None) -> str:
    return " ".join(str(error).split())[:300]
