// The drag benchmarks' one measure of a move, installed in the page (an init script):
// `window.__listChange()` resolves to the moment the result list next changes (any row,
// attribute or text), or to null when it does not within 1 s. Start it, fire the move,
// and the time from the move to that moment is the move's update.
export const listChangeScript = `
  window.__listChange = () => new Promise((resolve) => {
    const mo = new MutationObserver(() => {
      mo.disconnect();
      resolve(performance.now());
    });
    mo.observe(document.querySelector("#results"), { childList: true, subtree: true, attributes: true, characterData: true });
    setTimeout(() => {
      mo.disconnect();
      resolve(null);
    }, 1000);
  });
`;
