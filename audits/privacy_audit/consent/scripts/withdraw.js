() => {
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
    '[data-klaro-trigger]', '.cmplz-manage-consent', '.cc-revoke',
  ].join(', ');
  // Any clickable element with a withdrawal label: a link, a button, an element with a role,
  // a handler, a tab stop or a pointer cursor (a revoke tab drawn as a <div>).
  const clickable = el => el.matches('a, button, [role=button], [role=link], [onclick], [tabindex]')
    || getComputedStyle(el).cursor === 'pointer';
  const found = [];
  const visit = root => {
    for (const el of root.querySelectorAll(known)) found.push(el);
    for (const el of root.querySelectorAll('*')) {
      const raw = el.textContent || el.getAttribute('aria-label') || el.title || '';
      if (raw.length > 200 || el.childElementCount > 3) continue;
      const label = (el.innerText || el.getAttribute('aria-label') || el.title || '').trim();
      if (label.length <= 80 && words.test(label) && clickable(el)) found.push(el);
    }
    for (const el of root.querySelectorAll('*')) { const inner = SHADOW_ROOT(el); if (inner) visit(inner); }
  };
  visit(document);
  return found.some(el => el.isConnected && getComputedStyle(el).display !== 'none');
}
