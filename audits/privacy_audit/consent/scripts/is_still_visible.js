(kind) => {
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
}
