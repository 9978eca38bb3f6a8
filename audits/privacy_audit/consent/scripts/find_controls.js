([lists, glyphs, mark = true]) => {
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
}
