(kind) => {
  // The control the scan marked with a kind, in the document or any shadow root in it.
  const find = root => {
    const el = root.querySelector(`[data-privacy-pages-choice="${kind}"]`);
    if (el) return el;
    for (const host of root.querySelectorAll('*')) {
      const shadow = SHADOW_ROOT(host);
      const inner = shadow && find(shadow);
      if (inner) return inner;
    }
    return null;
  };
  return find(document);
}
