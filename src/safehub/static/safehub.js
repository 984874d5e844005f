// Safehub's only script: switch on GOV.UK Frontend's components. No inline scripts (CSP).
import { initAll } from "./build/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();
