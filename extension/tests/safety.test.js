// The toolbar's safety rules, checked over the whole extension folder: no HTML built from strings,
// no code from strings, only the gateway talks to the network, content scripts never see the token.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, test } from "node:test";
import vm from "node:vm";
import { MessageType } from "../shared/messages.js";
import { EXTENSION } from "./helpers/content-page.js";

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const SOURCES = filesUnder(EXTENSION)
  .filter((path) => /\.(?:m?js|html?|css|json)$/.test(path))
  .map((path) => ({ path: relative(EXTENSION, path), text: readFileSync(path, "utf8") }));

// Spelled in pieces, so this file can be scanned with the rest.
const word = (...pieces) => pieces.join("");
const FORBIDDEN = [
  ["inner HTML", new RegExp(`\\b${word("inner", "HTML")}\\b`)],
  ["outer HTML assignment", new RegExp(`\\b${word("outer", "HTML")}\\s*(?:\\+|\\|\\||&&|\\?\\?)?=(?!=)`)],
  ["insertAdjacent HTML", new RegExp(word("insertAdjacent", "HTML"))],
  ["document.write", new RegExp(`\\bdocument\\s*\\.\\s*${word("wri", "te")}(?:ln)?\\s*\\(`)],
  ["eval", new RegExp(`(?<![.\\w])${word("ev", "al")}\\s*\\(`)],
  ["new Function", new RegExp(`\\bnew\\s+${word("Func", "tion")}\\s*\\(`)],
  ["string timer", new RegExp(`\\bset(?:Timeout|Interval)\\s*\\(\\s*["'\`]`)],
];

// What runs in the browser: everything but the tests, which run under Node only (and may name the
// sinks in their own patterns, as workbench-safety.test.js does).
const SHIPPED = SOURCES.filter(({ path }) => !path.startsWith(`tests${sep}`));

describe("no HTML or code from strings, anywhere in extension/", () => {
  test("the scan covers the folder", () => {
    assert.ok(SHIPPED.length > 15);
    for (const file of ["background.js", join("content", "common.js"), join("options", "options.html"), "manifest.json"]) {
      assert.ok(SHIPPED.some((source) => source.path === file), file);
    }
  });

  for (const [name, pattern] of FORBIDDEN) {
    test(`no ${name}`, () => {
      const found = SHIPPED.flatMap(({ path, text }) => text.split("\n")
        .map((line, index) => (pattern.test(line) ? `${path}:${index + 1}: ${line.trim()}` : null))
        .filter(Boolean));
      assert.deepEqual(found, []);
    });
  }
});

describe("only the worker's gateway talks to the network", () => {
  const NETWORK = new RegExp(`\\b(?:fetch\\s*\\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts)`);
  const ALLOWED = new Set([join("background", "gateway.js"), "background.js"]);

  test("no other file fetches", () => {
    const found = SHIPPED.filter(({ path, text }) => !ALLOWED.has(path) && NETWORK.test(text)).map(({ path }) => path);
    assert.deepEqual(found, []);
  });

  test("background.js only hands fetch to the gateway", () => {
    const worker = SHIPPED.find(({ path }) => path === "background.js").text;
    assert.deepEqual(worker.match(/\bfetch\s*\(/g), ["fetch("]);
    assert.match(worker, /createGateway\(\{[^}]*fetch/);
  });

  test("no remote code: every script a page loads is a file of the extension", () => {
    for (const { path, text } of SHIPPED.filter(({ path }) => path.endsWith(".html"))) {
      for (const [, src] of text.matchAll(/<script[^>]*\bsrc=["']([^"']+)["']/g)) assert.doesNotMatch(src, /^(?:https?:)?\/\//, path);
    }
  });
});

describe("content scripts", () => {
  const CONTENT = SHIPPED.filter(({ path }) => path.startsWith(`content${sep}`));

  test("never read the extension's storage (where the token is) and never name the token", () => {
    for (const { path, text } of CONTENT) {
      assert.ok(!/\bstorage\s*\./.test(text), `${path} reads storage`);
      assert.ok(!/\btoken\b/i.test(text), `${path} names the token`);
    }
  });

  test("are classic scripts (no import or export), sharing one global", () => {
    for (const { path, text } of CONTENT) {
      assert.doesNotMatch(text, /^\s*(?:import|export)\s/m, path);
      assert.doesNotThrow(() => new vm.Script(text, { filename: path }), path);
    }
  });

  test("use the same message names as shared/messages.js", () => {
    const context = vm.createContext({ TextEncoder, console });
    new vm.Script(readFileSync(join(EXTENSION, "content", "common.js"), "utf8")).runInContext(context);
    const names = context.ReviewDeskCapture.MessageType;
    assert.equal(names.CAPTURE, MessageType.CAPTURE);
    assert.equal(names.INSERT_REPLY, MessageType.INSERT_REPLY);
    assert.equal(names.CAPTURE_SELECTION, MessageType.CAPTURE_SELECTION);
  });
});
