// Link chart enhancement: highlight a node and its neighbours, filter by community, pan and
// zoom. Works on every <svg data-linkchart> written by safehub.analytics.linkchart; reads only
// data-* attributes. No inline handlers or styles (CSP): classes from linkchart.css.
// Without this script the chart is still a complete picture with links and tooltips.

const ZOOM_STEP = 1.25;
const PAN_STEP = 0.15;

function text(tag, className, content) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (content) element.textContent = content;
  return element;
}

function button(label, action) {
  const element = text("button", "govuk-button govuk-button--secondary linkchart-button", label);
  element.type = "button";
  element.dataset.action = action;
  return element;
}

function describe(node) {
  const kind = (node.dataset.kind || "").replace(/_/g, " ");
  return `${node.dataset.label || node.dataset.node} (${kind})`;
}

function enhance(svg, number) {
  const nodes = new Map();
  svg.querySelectorAll("[data-node]").forEach((node) => nodes.set(node.dataset.node, node));
  const edges = Array.from(svg.querySelectorAll("[data-edge-a]"));
  const neighbours = new Map();
  nodes.forEach((_node, id) => neighbours.set(id, new Set()));
  edges.forEach((edge) => {
    const a = edge.dataset.edgeA;
    const b = edge.dataset.edgeB;
    if (neighbours.has(a) && neighbours.has(b)) {
      neighbours.get(a).add(b);
      neighbours.get(b).add(a);
    }
  });

  const id = `linkchart-${number}`;
  const controls = text("div", "linkchart-controls");
  const field = text("div", "govuk-form-group linkchart-filter");
  const label = text("label", "govuk-label", "Show community");
  label.htmlFor = `${id}-community`;
  const select = text("select", "govuk-select");
  select.id = `${id}-community`;
  select.appendChild(new Option("All communities", ""));
  const communities = Array.from(new Set(Array.from(nodes.values(), (n) => n.dataset.community)));
  communities
    .sort((x, y) => Number(x) - Number(y))
    .forEach((c) => {
      const size = Array.from(nodes.values()).filter((n) => n.dataset.community === c).length;
      select.appendChild(new Option(`Community ${c} (${size})`, c));
    });
  field.append(label, select);

  const zoom = text("div", "linkchart-zoom");
  zoom.setAttribute("role", "group");
  zoom.setAttribute("aria-label", "Move and zoom the chart");
  [
    ["Zoom in", "in"],
    ["Zoom out", "out"],
    ["Left", "left"],
    ["Right", "right"],
    ["Up", "up"],
    ["Down", "down"],
    ["Reset view", "reset"],
  ].forEach(([name, action]) => zoom.appendChild(button(name, action)));

  const live = text("p", "govuk-body linkchart-status");
  live.setAttribute("aria-live", "polite");
  live.id = `${id}-status`;
  controls.append(field, zoom, live);
  svg.parentNode.insertBefore(controls, svg);
  // Its nodes are now interactive things, not parts of one picture.
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-describedby", live.id);

  const original = svg.getAttribute("viewBox").split(/\s+/).map(Number);
  let box = original.slice();
  function setBox(next) {
    box = next;
    svg.setAttribute("viewBox", box.map((v) => v.toFixed(1)).join(" "));
  }
  zoom.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action]");
    if (!target) return;
    const [x, y, w, h] = box;
    const cx = x + w / 2;
    const cy = y + h / 2;
    switch (target.dataset.action) {
      case "in":
        setBox([cx - w / (2 * ZOOM_STEP), cy - h / (2 * ZOOM_STEP), w / ZOOM_STEP, h / ZOOM_STEP]);
        break;
      case "out":
        setBox([cx - (w * ZOOM_STEP) / 2, cy - (h * ZOOM_STEP) / 2, w * ZOOM_STEP, h * ZOOM_STEP]);
        break;
      case "left":
        setBox([x - w * PAN_STEP, y, w, h]);
        break;
      case "right":
        setBox([x + w * PAN_STEP, y, w, h]);
        break;
      case "up":
        setBox([x, y - h * PAN_STEP, w, h]);
        break;
      case "down":
        setBox([x, y + h * PAN_STEP, w, h]);
        break;
      default:
        setBox(original.slice());
    }
  });

  function clear() {
    svg.classList.remove("linkchart-focused");
    nodes.forEach((n) => n.classList.remove("linkchart-selected", "linkchart-neighbour"));
    edges.forEach((e) => e.classList.remove("linkchart-edge-on"));
  }

  function highlight(nodeId) {
    clear();
    const node = nodes.get(nodeId);
    if (!node) return;
    const near = neighbours.get(nodeId);
    svg.classList.add("linkchart-focused");
    node.classList.add("linkchart-selected");
    near.forEach((other) => nodes.get(other).classList.add("linkchart-neighbour"));
    edges.forEach((e) => {
      if (e.dataset.edgeA === nodeId || e.dataset.edgeB === nodeId) {
        e.classList.add("linkchart-edge-on");
      }
    });
    const names = Array.from(near, (other) => describe(nodes.get(other))).sort();
    live.textContent = names.length
      ? `${describe(node)} is linked to ${names.length}: ${names.join("; ")}.`
      : `${describe(node)} has no links in this chart.`;
  }

  svg.addEventListener("focusin", (event) => {
    const node = event.target.closest("[data-node]") || event.target.querySelector("[data-node]");
    if (node) highlight(node.dataset.node);
  });
  svg.addEventListener("click", (event) => {
    const node = event.target.closest("[data-node]");
    if (node) highlight(node.dataset.node);
  });
  svg.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      clear();
      live.textContent = "";
    }
  });

  select.addEventListener("change", () => {
    const community = select.value;
    nodes.forEach((n) => {
      const hidden = community !== "" && n.dataset.community !== community;
      n.classList.toggle("linkchart-hidden", hidden);
      const link = n.parentNode.tagName.toLowerCase() === "a" ? n.parentNode : n;
      if (hidden) link.setAttribute("tabindex", "-1");
      else if (link === n) link.setAttribute("tabindex", "0");
      else link.removeAttribute("tabindex");
    });
    edges.forEach((e) => {
      const a = nodes.get(e.dataset.edgeA);
      const b = nodes.get(e.dataset.edgeB);
      const hidden =
        community !== "" &&
        (!a || a.dataset.community !== community || !b || b.dataset.community !== community);
      e.classList.toggle("linkchart-hidden", hidden);
    });
    const shown = Array.from(nodes.values()).filter((n) => !n.classList.contains("linkchart-hidden"));
    live.textContent = community
      ? `Showing community ${community}: ${shown.length} of ${nodes.size}.`
      : `Showing all ${nodes.size}.`;
  });
}

document.querySelectorAll("svg[data-linkchart]").forEach((svg, index) => enhance(svg, index + 1));
