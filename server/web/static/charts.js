// Small charts drawn as inline SVG through the DOM (createElementNS and text nodes: no markup, no style
// attributes, nothing loaded from elsewhere). Each chart is a <figure> with a title, axis labels, a
// legend and its numbers in a table, so a screen reader (and a test) reads what the picture shows.

import { h } from "/workbench/dom.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 20, bottom: 52, left: 56 };
const MAX_X_LABELS = 12;
let chartCounter = 0;

/** An SVG element with presentation attributes; strings and numbers among `children` become text nodes. */
function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  return element;
}

function frame(title, description, height = HEIGHT, className = "chart-svg", width = WIDTH) {
  chartCounter += 1;
  const titleId = `chart-${chartCounter}-title`;
  const descId = `chart-${chartCounter}-desc`;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, class: className },
    svg("title", { id: titleId }, title), svg("desc", { id: descId }, description));
  return root;
}

/** Round numbers for an axis from `low` to `high`: about five ticks. */
function ticks(low, high, step) {
  const span = high - low || 1;
  const size = step ?? [1, 2, 2.5, 5, 10].map((unit) => unit * 10 ** Math.floor(Math.log10(span / 5)))
    .find((unit) => span / unit <= 6);
  const values = [];
  for (let value = Math.ceil(low / size) * size; value <= high + size * 1e-9; value += size) values.push(Number(value.toFixed(6)));
  return values;
}

function axes(root, { labels, y, yFormat, xTitle, yTitle }) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const bottom = HEIGHT - MARGIN.bottom;
  for (const value of y.ticks) {
    const at = y.scale(value);
    root.append(svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: at, y2: at, class: "grid" }),
      svg("text", { x: MARGIN.left - 8, y: at + 4, "text-anchor": "end", class: "tick" }, yFormat(value)));
  }
  root.append(svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom, class: "axis" }));
  const every = Math.ceil(labels.length / MAX_X_LABELS);
  const band = plotWidth / labels.length;
  labels.forEach((label, index) => {
    if (index % every !== 0 && index !== labels.length - 1) return;
    if (index === labels.length - 1 && index % every !== 0 && index % every < every / 2) return;  // too close to the previous one
    const text = svg("text", { x: MARGIN.left + band * (index + 0.5), y: bottom + 16, "text-anchor": "middle", class: "tick" });
    const [first, second] = label.split("\n");
    text.append(svg("tspan", {}, first));
    if (second) text.append(svg("tspan", { x: MARGIN.left + band * (index + 0.5), dy: 13 }, second));
    root.append(text);
  });
  root.append(
    svg("text", { x: MARGIN.left + plotWidth / 2, y: HEIGHT - 4, "text-anchor": "middle", class: "axis-title" }, xTitle),
    svg("text", { x: 14, y: MARGIN.top + (bottom - MARGIN.top) / 2, "text-anchor": "middle", class: "axis-title",
      transform: `rotate(-90 14 ${MARGIN.top + (bottom - MARGIN.top) / 2})` }, yTitle),
  );
  return { band, x: (index) => MARGIN.left + band * (index + 0.5), bottom };
}

function yAxis(low, high, step) {
  const bottom = HEIGHT - MARGIN.bottom;
  const scale = (value) => bottom - ((value - low) / (high - low || 1)) * (bottom - MARGIN.top);
  return { scale, ticks: ticks(low, high, step) };
}

/** A legend: each entry {label, className, shape: "line" | "dot" | "box" | "dash"}. */
function legend(entries) {
  return h("ul", { class: "legend" }, entries.map((entry) => {
    const mark = svg("svg", { viewBox: "0 0 24 12", width: 24, height: 12, "aria-hidden": "true", class: "legend-mark" });
    if (entry.shape === "dot") mark.append(svg("circle", { cx: 12, cy: 6, r: 4, class: `dot ${entry.className}` }));
    else if (entry.shape === "box") mark.append(svg("rect", { x: 4, y: 1, width: 16, height: 10, class: `bar ${entry.className}` }));
    else mark.append(svg("line", { x1: 1, x2: 23, y1: 6, y2: 6, class: `${entry.shape === "dash" ? "reference" : "line"} ${entry.className}` }));
    return h("li", {}, mark, " ", entry.label);
  }));
}

/** The chart's numbers as a table: `columns` are headings, `rows` arrays of cells (text). */
export function numbersTable(caption, columns, rows) {
  return h("details", { class: "numbers" },
    h("summary", {}, "Show the numbers"),
    h("table", { class: "numbers-table" },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, columns.map((column) => h("th", { scope: "col" }, column)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell, index) => index === 0 ? h("th", { scope: "row" }, cell) : h("td", {}, cell)))))));
}

function figure(name, title, root, legendEntries, table) {
  return h("figure", { class: "chart", "data-chart": name },
    h("figcaption", { class: "chart-title" }, title), root, legendEntries.length ? legend(legendEntries) : null, table);
}

/**
 * Lines over periods. `series`: [{label, className, values: [number|null], shape: "line" | "dot"}]; a
 * line skips its missing values. `reference`: an optional dashed level {value, label, className}.
 */
export function lineChart({ name, title, description, labels, series, yMin, yMax, yStep, yFormat = String, xTitle, yTitle,
  reference, table }) {
  const root = frame(title, description);
  const y = yAxis(yMin, yMax, yStep);
  const { x } = axes(root, { labels, y, yFormat, xTitle, yTitle });
  if (reference) root.append(referenceLine(y.scale(reference.value), reference));
  for (const line of series) {
    const points = line.values.map((value, index) => (value == null ? null : [x(index), y.scale(value)]));
    if (line.shape === "dot") {
      points.forEach((point) => point && root.append(svg("circle", { cx: point[0], cy: point[1], r: 4, class: `dot ${line.className}` })));
      continue;
    }
    const path = points.reduce((drawn, point, index) => {
      if (!point) return drawn;
      const joined = index > 0 && points[index - 1];
      return `${drawn}${joined ? "L" : "M"}${point[0].toFixed(1)},${point[1].toFixed(1)} `;
    }, "");
    if (path) root.append(svg("path", { d: path.trim(), class: `line ${line.className}` }));
    points.forEach((point, index) => point && !(points[index - 1] || points[index + 1]) &&
      root.append(svg("circle", { cx: point[0], cy: point[1], r: 3, class: `end ${line.className}` })));
  }
  const entries = series.map((line) => ({ label: line.label, className: line.className, shape: line.shape ?? "line" }));
  if (reference) entries.push({ label: reference.label, className: reference.className, shape: "dash" });
  return figure(name, title, root, entries, table);
}

function referenceLine(at, reference) {
  return svg("g", { class: "reference-group" },
    svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: at, y2: at, class: `reference ${reference.className}` }),
    svg("text", { x: WIDTH - MARGIN.right - 4, y: at - 6, "text-anchor": "end", class: "reference-label" }, reference.label));
}

/**
 * Columns over periods, stacked when there are several series. `series`: [{label, className, values}];
 * `classOf(seriesIndex, index, value)` may give one column its own class (e.g. over the target).
 */
export function columnChart({ name, title, description, labels, series, yMax, yStep, yFormat = String, xTitle, yTitle,
  reference, classOf, legendEntries, table }) {
  const root = frame(title, description);
  const y = yAxis(0, yMax, yStep);
  const { band, x, bottom } = axes(root, { labels, y, yFormat, xTitle, yTitle });
  const width = Math.max(2, Math.min(40, band * 0.6));
  labels.forEach((_, index) => {
    let base = 0;
    series.forEach((column, seriesIndex) => {
      const value = column.values[index];
      if (!value) return;
      const top = y.scale(base + value);
      root.append(svg("rect", { x: x(index) - width / 2, y: top, width, height: Math.max(1, y.scale(base) - top),
        class: `bar ${classOf?.(seriesIndex, index, value) ?? column.className}` }));
      base += value;
    });
  });
  if (reference) root.append(referenceLine(y.scale(reference.value), reference));
  root.append(svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom, class: "axis" }));
  const entries = legendEntries ?? series.map((column) => ({ label: column.label, className: column.className, shape: "box" }));
  if (reference) entries.push({ label: reference.label, className: reference.className, shape: "dash" });
  return figure(name, title, root, entries, table);
}

/** Horizontal bars, one per item {label, value, className}, with the value written at the end of each. */
export function barList({ name, title, description, items, unit = "", table }) {
  const width = 400;
  const rowHeight = 30;
  const labelWidth = 130;
  const height = items.length * rowHeight + 8;
  const root = frame(title, description, height, "chart-svg bar-list", width);
  const largest = Math.max(1, ...items.map((item) => item.value));
  const room = width - labelWidth - 40;
  items.forEach((item, index) => {
    const top = 4 + index * rowHeight;
    const length = (item.value / largest) * room;
    root.append(
      svg("text", { x: labelWidth - 10, y: top + 20, "text-anchor": "end", class: "bar-label" }, item.label),
      svg("rect", { x: labelWidth, y: top + 5, width: Math.max(length, item.value ? 2 : 0), height: rowHeight - 12, class: `bar ${item.className}` }),
      svg("text", { x: labelWidth + length + 8, y: top + 20, class: "bar-value" }, `${item.value}${unit}`),
    );
  });
  return figure(name, title, root, [], table);
}
