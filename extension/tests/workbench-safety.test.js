// The workbench and the panel build the DOM from text only, and the workbench reaches the network
// only through the `api` function it is given (it runs in the extension and on the dashboard).

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const FOLDERS = ["workbench", "panel"];
const MARKUP_SINKS = /\binnerHTML\b|\bouterHTML\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\b|setHTMLUnsafe|createContextualFragment|srcdoc/;
const NETWORK = /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|\bchrome\.|\bbrowser\./;

function sources(folder) {
  const root = new URL(`../${folder}/`, import.meta.url);
  return readdirSync(root).filter((name) => /\.(js|html|css)$/.test(name))
    .map((name) => ({ name: `${folder}/${name}`, text: readFileSync(new URL(name, root), "utf8") }));
}

test("no markup sink anywhere in the workbench or the panel", () => {
  const offending = FOLDERS.flatMap(sources).filter((file) => MARKUP_SINKS.test(file.text)).map((file) => file.name);
  assert.deepEqual(offending, []);
});

test("the workbench talks to nothing but the api function it is given", () => {
  const offending = sources("workbench").filter((file) => file.name.endsWith(".js") && NETWORK.test(file.text)).map((file) => file.name);
  assert.deepEqual(offending, []);
});

test("no inline script or style in the panel page, and nothing loaded from outside the extension", () => {
  const page = readFileSync(new URL("../panel/panel.html", import.meta.url), "utf8");
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, "inline script");
  assert.doesNotMatch(page, /\sstyle=|<style/, "inline style");
  assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//, "remote resource");
  const styles = FOLDERS.flatMap(sources).filter((file) => file.name.endsWith(".css"));
  assert.deepEqual(styles.filter((file) => /@import|url\(\s*["']?(https?:)?\/\//.test(file.text)).map((file) => file.name), []);
});
