(kind) => {
  const el = (MARKED_CONTROL)(kind);
  if (!el || !el.isConnected) return false;
  const r = el.getBoundingClientRect();
  const st = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
}
