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

from .observations import BannerResult

if TYPE_CHECKING:
    from playwright.async_api import Frame, Page

Action = Literal["none", "reject", "accept"]
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

# Runs in one frame: marks the best visible refuse and accept controls of a cookie notice
# with data-privacy-pages-choice, piercing open shadow roots.
FIND_CONTROLS_SCRIPT = r"""([refuse, accept]) => {
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
  const best = {refuse: null, accept: null};
  const lists = {refuse, accept};
  for (const el of found) {
    const label = norm(el.innerText || el.value || el.getAttribute('aria-label') || el.title || '');
    if (!label || label.length > 60) continue;
    for (const kind of ['refuse', 'accept']) {
      const rank = lists[kind].indexOf(label);
      if (rank < 0 || (best[kind] && best[kind].rank <= rank)) continue;
      if (!visible(el) || !aboutCookies(el)) continue;
      best[kind] = {rank, el, label};
    }
  }
  for (const el of document.querySelectorAll('[data-privacy-pages-choice]'))
    el.removeAttribute('data-privacy-pages-choice');
  const out = {};
  for (const kind of ['refuse', 'accept']) {
    if (!best[kind]) continue;
    best[kind].el.setAttribute('data-privacy-pages-choice', kind);
    out[kind] = {rank: best[kind].rank, label: best[kind].label};
  }
  return out;
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
    frame: "Frame"
    refuse: str | None = None
    accept: str | None = None


@dataclass
class ConsentDriver:
    """Autoconsent on one landing page, plus the text fallback; install before navigating."""

    page: "Page"
    cmp: str | None = None
    popup_frame: "Frame | None" = None
    result: bool | None = None
    messages: list[str] = field(default_factory=list)
    _popup: asyncio.Event = field(default_factory=asyncio.Event)
    _nothing: asyncio.Event = field(default_factory=asyncio.Event)
    _done: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _failed: str | None = None

    async def install(self) -> None:
        from duckduckgo_autoconsent import bundle

        try:
            await self.page.expose_binding("autoconsentSendMessage", self._on_message)
            await self.page.add_init_script(script=bundle())
        except Exception as error:  # the page crashed or closed: the fallback still works
            self._failed = _one_line(error)

    def _on_message(self, source: dict[str, Any], message: Any) -> None:
        if not isinstance(message, dict):
            return
        frame = source.get("frame")
        kind = message.get("type")
        if kind == "init" and frame is not None:
            from duckduckgo_autoconsent import rules_json

            self._spawn(frame.evaluate(INIT_RESPONSE_SCRIPT, [AUTOCONSENT_CONFIG, rules_json()]))
        elif kind == "eval" and frame is not None:
            self._spawn(self._answer_eval(frame, message))
        elif kind == "popupFound":
            if self.cmp is None:
                self.cmp = str(message.get("cmp") or "") or None
                self.popup_frame = frame
            self._popup.set()
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
        if not task.cancelled():
            task.exception()  # frames vanish mid-call; nothing to do about it

    async def _answer_eval(self, frame: "Frame", message: dict[str, Any]) -> None:
        try:
            value = bool(await frame.evaluate(str(message.get("code", "false"))))
        except Exception:
            value = False
        await frame.evaluate(
            SEND_SCRIPT, {"type": "evalResp", "id": message.get("id"), "result": value}
        )

    async def wait_for_banner(self, seconds: float) -> None:
        """Until autoconsent finds a banner, gives up, or ``seconds`` pass."""
        if self._failed:
            return
        waiters = [asyncio.ensure_future(e.wait()) for e in (self._popup, self._nothing)]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def act(self, action: Action, seconds: float) -> BannerResult:
        """Refuse, accept, or only look (``none``), and say what happened and how."""
        controls = await self._scan_controls()
        refuse_found = any(c.refuse for c in controls)
        accept_found = any(c.accept for c in controls)
        detected = self._popup.is_set() or refuse_found or accept_found
        if not detected:
            return BannerResult(
                detected=False,
                action=action,
                method="none",
                succeeded=False,
                reject_option_found=None,
                detail="no consent banner found",
            )
        seen = self._describe(controls)
        if action == "none":
            return BannerResult(
                detected=True,
                action="none",
                method="none",
                cmp=self.cmp,
                succeeded=False,
                reject_option_found=refuse_found,
                detail=f"banner left unanswered; {seen}",
            )
        if self._popup.is_set() and self.popup_frame is not None:
            succeeded = await self._autoconsent(action, seconds)
            if succeeded:
                verb = "refused" if action == "reject" else "accepted"
                return BannerResult(
                    detected=True,
                    action=action,
                    method="autoconsent",
                    cmp=self.cmp,
                    succeeded=True,
                    reject_option_found=refuse_found,
                    detail=f"{verb} through autoconsent rule {self.cmp!r}; {seen}",
                    withdraw_option_found=await self.withdraw_option_found(),
                )
        kind: Choice = "refuse" if action == "reject" else "accept"
        clicked = await self._click_text(controls, kind, seconds)
        if clicked:
            return BannerResult(
                detected=True,
                action=action,
                method="text-fallback",
                cmp=self.cmp,
                succeeded=clicked[1],
                reject_option_found=refuse_found,
                detail=f"clicked {clicked[0]!r}"
                + ("" if clicked[1] else ", banner stayed")
                + f"; {seen}",
                withdraw_option_found=await self.withdraw_option_found() if clicked[1] else None,
            )
        missing = "no refuse option found" if kind == "refuse" else "no accept option found"
        tried = f"autoconsent rule {self.cmp!r} failed; " if self.cmp else ""
        return BannerResult(
            detected=True,
            action=action,
            method="none",
            cmp=self.cmp,
            succeeded=False,
            reject_option_found=refuse_found,
            detail=f"{tried}{missing}; {seen}",
        )

    async def withdraw_option_found(self) -> bool:
        """Whether some frame of the page offers a way to change the choice just made."""
        await asyncio.sleep(0.3)  # consent managers draw their floating icon after the choice
        for frame in list(self.page.frames):
            try:
                if await frame.evaluate(WITHDRAW_SCRIPT):
                    return True
            except Exception:
                continue
        return False

    async def _autoconsent(self, action: Action, seconds: float) -> bool:
        assert self.popup_frame is not None
        message = {"type": "optOut" if action == "reject" else "optIn"}
        try:
            await self.popup_frame.evaluate(SEND_SCRIPT, message)
            await asyncio.wait_for(self._done.wait(), timeout=max(seconds, 1.0))
        except Exception:
            return False
        return bool(self.result)

    async def _scan_controls(self) -> list[_Controls]:
        found = []
        try:
            language = await self.page.evaluate("() => document.documentElement.lang || ''")
        except Exception:
            language = ""
        phrases = [phrases_for(language, REFUSE_PHRASES), phrases_for(language, ACCEPT_PHRASES)]
        for frame in list(self.page.frames):
            try:
                result = await frame.evaluate(FIND_CONTROLS_SCRIPT, phrases)
            except Exception:
                continue
            if result:
                found.append(
                    _Controls(
                        frame,
                        (result.get("refuse") or {}).get("label"),
                        (result.get("accept") or {}).get("label"),
                    )
                )
        return found

    @staticmethod
    def _describe(controls: list[_Controls]) -> str:
        refuse = next((c.refuse for c in controls if c.refuse), None)
        accept = next((c.accept for c in controls if c.accept), None)
        return (
            f"first layer: refuse {refuse!r}" if refuse else "first layer: no refuse button"
        ) + (f", accept {accept!r}" if accept else ", no accept button")

    async def _click_text(
        self, controls: list[_Controls], kind: Choice, seconds: float
    ) -> tuple[str, bool] | None:
        for control in controls:
            label = control.refuse if kind == "refuse" else control.accept
            if not label:
                continue
            target = control.frame.locator(f'[data-privacy-pages-choice="{kind}"]').first
            try:
                await target.click(timeout=min(seconds, 5) * 1000)
            except Exception:
                try:  # covered by an overlay: a script click still answers the banner
                    await target.evaluate("el => el.click()", timeout=2000)
                except Exception:
                    continue
            await asyncio.sleep(0.3)
            try:
                still = await control.frame.evaluate(IS_STILL_VISIBLE_SCRIPT, kind)
            except Exception:
                still = False  # the frame went away with the banner
            return label, not still
        return None

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]
