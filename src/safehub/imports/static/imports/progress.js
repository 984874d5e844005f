// Follows a running import: polls its progress endpoint and updates the bar; reloads the page
// when the run has finished, so the counts and next steps show. Without JavaScript the page
// offers a "Refresh this page" link instead.
const panel = document.getElementById("import-progress");
if (panel) {
  const url = panel.dataset.progressUrl;
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-progress-text]");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const state = await response.json();
      if (!state.running) {
        window.location.reload();
        return;
      }
      bar.max = Math.max(state.rows_total, 1);
      bar.value = state.rows_done;
      bar.textContent = `${state.percent}%`;
      text.textContent = `${state.rows_done} of ${state.rows_total} rows`;
    } catch (error) {
      // A missed poll is harmless: the next one catches up.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
}
