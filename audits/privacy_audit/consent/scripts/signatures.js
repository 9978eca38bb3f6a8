(families) => {
  // The families of the table whose own signature is on this frame: a global, an element,
  // a script whose URL names it.
  const has = path => {
    try {
      let value = window;
      for (const key of path.split('.')) { value = value == null ? undefined : value[key]; }
      return value !== undefined && value !== null;
    } catch (e) { return false; }
  };
  const scripts = Array.from(document.scripts, s => (s.src || '').toLowerCase());
  const present = [];
  for (const [family, sign] of Object.entries(families)) {
    const found = sign.globals.some(has)
      || sign.selectors.some(selector => { try { return !!document.querySelector(selector); } catch (e) { return false; } })
      || sign.scripts.some(word => scripts.some(src => src.includes(word.toLowerCase())));
    if (found) present.push(family);
  }
  return present;
}
