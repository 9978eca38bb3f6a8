([lists, glyphs, mark = true]) => {
  // Labels are read as a visitor reads them: case, accents, arrows and punctuation aside, a
  // known phrase among other words ("Accepter et poursuivre ma lecture"). A label holding
  // phrases of two kinds whose longer phrase does not settle it ("Accepter ou refuser") is
  // undecided: better no click than a wrong one. A refusal that leads to paying is "pay".
  const fold = s => ` ${String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2019\u2018`\u00b4]/g, "'").toLowerCase()
    .replace(/[^\p{L}\p{N}'\u20ac]+/gu, ' ').trim()} `;
  const phrases = {};
  for (const kind of Object.keys(lists)) phrases[kind] = lists[kind].map(fold);
  const context = new RegExp(['cookie', 'consent', 'traceur', 'tracker', 'privacy', 'vie privée',
    'confidentialit', 'datenschutz', 'privacidad', 'riservatezza', 'gegevens', 'données',
    'donnees', 'rgpd', 'gdpr'].join('|'), 'i');
  const clickable = ['button', 'a', '[role=button]', 'input[type=button]', 'input[type=submit]',
    '[onclick]', '[tabindex]'].join(', ');
  const found = [];
  const visit = root => {
    for (const el of root.querySelectorAll(clickable)) found.push(el);
    for (const el of root.querySelectorAll('*')) { const inner = SHADOW_ROOT(el); if (inner) visit(inner); }
  };
  visit(document);
  // When a choice is still missing: an element with a pointer cursor and a short label
  // holding a known phrase or a close glyph (a choice drawn as a <div> with a listener added
  // by script). Its label is tested first, so that few elements have their style computed.
  const escape = t => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let anyPhrase = null;
  const pointer = el => {
    if (el.childElementCount > 3 || el.matches(clickable)) return false;
    const raw = (el.textContent || '').trim();
    if (!raw || raw.length > 80) return false;
    if (!glyphs.includes(raw) && !(anyPhrase && anyPhrase.test(fold(raw)))) return false;
    return getComputedStyle(el).cursor === 'pointer'
      && !(el.parentElement && el.parentElement.closest(clickable));
  };
  const pointerChoices = () => {
    const known = Object.values(phrases).flat().filter(p => p.trim()).map(escape);
    anyPhrase = known.length ? new RegExp(known.join('|')) : null;
    const pointers = [];
    const walk = root => {
      for (const el of root.querySelectorAll('*')) {
        { const inner = SHADOW_ROOT(el); if (inner) walk(inner); }
        if (pointer(el)) pointers.push(el);
      }
    };
    walk(document);
    // The outermost of nested ones (the cursor is inherited): the element the listener is on.
    const marked = new Set(pointers);
    const inner = el => {
      for (let node = el.parentElement, i = 0; node && i < 6; node = node.parentElement, i++)
        if (marked.has(node)) return true;
      return false;
    };
    return pointers.filter(el => !inner(el));
  };
  const visible = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const st = getComputedStyle(el);
    return st.visibility !== 'hidden' && st.display !== 'none' && Number(st.opacity) > 0.05;
  };
  const up = node => node.parentElement || (node.getRootNode && node.getRootNode().host) || null;
  const aboutCookies = el => {
    let node = el;
    for (let i = 0; i < 10 && node; i++, node = up(node)) {
      const text = node.innerText || node.textContent || '';
      if (context.test(text.slice(0, 5000)) || context.test(node.id || '') ||
          context.test(typeof node.className === 'string' ? node.className : '')) return true;
    }
    return false;
  };
  const overlay = el => {  // a banner or a wall: drawn over the page, or a dialog
    for (let node = el, i = 0; i < 12 && node; i++, node = up(node)) {
      if (node.nodeType !== 1) continue;
      const st = getComputedStyle(node);
      if (st.position === 'fixed' || st.position === 'sticky') return node;
      const role = node.getAttribute('role');
      if (role === 'dialog' || role === 'alertdialog' || node.getAttribute('aria-modal') === 'true'
          || node.tagName === 'DIALOG') return node;
    }
    return null;
  };
  // Every phrase found in a label, with its span; a span inside a longer one is dropped
  // ("continuer sans accepter" holds "accepter").
  const matches = label => {
    const spans = [];
    for (const kind of Object.keys(phrases)) {
      phrases[kind].forEach((phrase, rank) => {
        if (phrase.trim() === '') return;
        for (let at = label.indexOf(phrase); at >= 0; at = label.indexOf(phrase, at + 1)) {
          spans.push({kind, rank, start: at, end: at + phrase.length, exact: phrase === label});
        }
      });
    }
    return spans.filter(s => !spans.some(o => o !== s && o.start <= s.start && o.end >= s.end
      && (o.end - o.start) > (s.end - s.start)));
  };
  // Two kinds in one label: a few combinations read one way; any other is undecided.
  const decide = spans => {
    let kinds = [...new Set(spans.map(s => s.kind))];
    if (kinds.length > 1) kinds = kinds.filter(k => k !== 'close');
    if (kinds.includes('pay')) kinds = kinds.filter(k => k !== 'refuse' && k !== 'settings');
    if (kinds.includes('save')) kinds = kinds.filter(k => k !== 'settings');
    return kinds.length === 1 ? kinds[0] : null;
  };
  const best = {};
  const undecided = [];
  const consider = el => {
    const raw = (el.innerText || el.value || '').trim();
    const aria = el.getAttribute('aria-label') || el.title || '';
    const label = fold(raw || aria);
    const shown = label.trim();
    if (shown.length > 80) return;
    let spans = shown ? matches(label) : [];
    if (!spans.length && (glyphs.includes(raw) || (raw === '' && fold(aria).trim()))) {
      spans = matches(fold(aria)).filter(s => s.kind === 'close');
      if (!spans.length && glyphs.includes(raw)) spans = [{kind: 'close', rank: 0, exact: true}];
    }
    if (!spans.length) return;
    const kind = decide(spans);
    if (!visible(el) || !aboutCookies(el)) return;
    if (kind === null) {
      const kinds = [...new Set(spans.map(s => s.kind))].sort();
      if (kinds.includes('refuse') || kinds.includes('accept')) undecided.push({label: shown, kinds});
      return;
    }
    if (kind === 'pay' && !overlay(el)) return;
    const mine = spans.filter(s => s.kind === kind);
    const score = [mine.some(s => s.exact) ? 0 : 1, Math.min(...mine.map(s => s.rank))];
    const held = best[kind];
    if (held && (held.score[0] < score[0] || (held.score[0] === score[0] && held.score[1] <= score[1])))
      return;
    best[kind] = {score, el, label: shown || raw};
  };
  found.forEach(consider);
  if (!best.refuse || !best.accept) pointerChoices().forEach(consider);
  // Sizes and contrast, as a visitor sees the two choices side by side (EDPB taskforce).
  const rgba = text => {
    const m = String(text).match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const background = el => {
    for (let node = el; node; node = up(node)) {
      if (node.nodeType !== 1) continue;
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color[3] > 0.5) return color;
    }
    return [255, 255, 255, 1];
  };
  const luminance = ([r, g, b]) => {
    const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const measure = el => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    const fg = luminance(rgba(st.color));
    const bg = luminance(background(el));
    return {
      width: Math.round(r.width), height: Math.round(r.height),
      font_size: Math.round(parseFloat(st.fontSize) * 10) / 10,
      font_weight: Number(st.fontWeight) || 400,
      contrast: Math.round((Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05) * 10) / 10,
      element: el.tagName.toLowerCase(),
    };
  };
  const clear = root => {
    for (const el of root.querySelectorAll('[data-privacy-pages-choice]'))
      el.removeAttribute('data-privacy-pages-choice');
    for (const el of root.querySelectorAll('*')) { const inner = SHADOW_ROOT(el); if (inner) clear(inner); }
  };
  if (mark) clear(document);
  // A control in a closed shadow root: selectors do not reach it, so it is clicked as an element.
  const inClosedRoot = el => {
    for (let root = el.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode())
      if (root.mode === 'closed') return true;
    return false;
  };
  const out = {};
  for (const kind of Object.keys(best)) {
    const el = best[kind].el;
    if (mark) el.setAttribute('data-privacy-pages-choice', kind);
    out[kind] = {rank: best[kind].score[1], label: best[kind].label.slice(0, 80)};
    if (inClosedRoot(el)) out[kind].closed = true;
    if (kind === 'refuse' || kind === 'accept' || kind === 'pay') out[kind].measures = measure(el);
    if (kind === 'pay') {
      const wall = overlay(el);
      const price = ((wall && wall.innerText) || '').match(
        /\d+(?:[.,]\d{1,2})?\s?(?:€|eur\b|euros?\b)(?:\s?(?:\/|par|per|pro)\s?\p{L}+)?|€\s?\d+(?:[.,]\d{1,2})?/iu);
      out[kind].price = price ? price[0] : null;
    }
  }
  if (undecided.length) out.undecided = undecided.slice(0, 5);
  return out;
}
