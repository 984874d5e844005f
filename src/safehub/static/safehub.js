// Safehub's scripts: switch on GOV.UK Frontend's components, keep typed work and warn before
// the session times out. No inline scripts (CSP).
import { initAll } from "./build/govuk-frontend.min.js";
import { restoreDraft, startAutosave, startTimeoutWarning } from "./drafts.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
// Before GOV.UK Frontend starts, so conditional reveals match the restored answers.
restoreDraft();
initAll();
let seen = () => {};
const flush = startAutosave(() => seen());
seen = startTimeoutWarning(flush);
