async (seconds) => {
  // Reads down the page a screen at a time, as a visitor does, until its end or `seconds`
  // have passed, then goes back to the top: content loaded lazily near the viewport (an
  // embed with loading="lazy", a tag started by a scroll) loads. Two animation frames per
  // screen let the browser notice what came near. How many screens it went down.
  const end = performance.now() + seconds * 1000;
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const step = Math.max(200, window.innerHeight || 0);
  let screens = 0;
  while (performance.now() < end) {
    const before = window.scrollY;
    window.scrollBy(0, step);
    await frame();
    if (window.scrollY <= before) break;
    screens++;
  }
  window.scrollTo(0, 0);
  return screens;
}
