// One Manifest V3 for Chrome and Firefox, with the least it needs: the review sites the parsers read,
// the local server, and storage, the context menu and the side panel.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { EXTENSION, REPOSITORY } from "./helpers/content-page.js";

const manifest = JSON.parse(readFileSync(join(EXTENSION, "manifest.json"), "utf8"));
const LOCAL_SERVER = ["http://127.0.0.1/*", "http://localhost/*", "http://[::1]/*"];

/** A parser's `HOST = re.compile(r"...")` from parsers/<platform>.py, as a JavaScript RegExp. */
function parserHosts(platform) {
  const source = readFileSync(join(REPOSITORY, "parsers", `${platform}.py`), "utf8");
  const [, pattern] = source.match(/^HOST = re\.compile\(r"([^"]+)"\)/m);
  return new RegExp(pattern);
}

const hostOf = (pattern) => new URL(pattern.replace("*", "x")).hostname;
const contentScript = (platform) => manifest.content_scripts.find((script) => script.js.includes(`content/${platform}.js`));

describe("the manifest", () => {
  test("Manifest V3 with a module background for both browsers", () => {
    assert.equal(manifest.manifest_version, 3);
    assert.deepEqual(manifest.background, { service_worker: "background.js", scripts: ["background.js"], type: "module" });
    assert.equal(manifest.browser_specific_settings.gecko.id, "toolbar@reviewdesk.local");
    assert.ok(Number.parseFloat(manifest.browser_specific_settings.gecko.strict_min_version) >= 128);
  });

  test("the button opens the side panel (no popup); Chrome's side_panel and Firefox's sidebar are the same page", () => {
    assert.equal(manifest.action.default_popup, undefined);
    assert.equal(manifest.side_panel.default_path, "panel/panel.html");
    assert.equal(manifest.sidebar_action.default_panel, "panel/panel.html");
    assert.equal(manifest.options_ui.page, "options/options.html");
  });

  test("permissions: storage, contextMenus, sidePanel, nothing broader", () => {
    assert.deepEqual([...manifest.permissions].sort(), ["contextMenus", "sidePanel", "storage"]);
    assert.equal(manifest.optional_permissions, undefined);
    const everything = JSON.stringify(manifest);
    for (const broad of ["<all_urls>", "*://*/*", "https://*/*", "\"tabs\"", "\"scripting\"", "\"alarms\"", "webRequest", "unlimitedStorage"]) {
      assert.ok(!everything.includes(broad), broad);
    }
  });

  test("host permissions: the review pages the content scripts run on, and the local server", () => {
    const pages = new Set(manifest.content_scripts.flatMap((script) => script.matches));
    const local = manifest.host_permissions.filter((pattern) => !pages.has(pattern));
    assert.deepEqual(local, LOCAL_SERVER);
    for (const page of pages) assert.ok(manifest.host_permissions.includes(page), page);
  });

  for (const platform of ["google", "yelp", "facebook"]) {
    test(`${platform}: common.js then ${platform}.js, only on hosts parsers/${platform}.py reads`, () => {
      const script = contentScript(platform);
      assert.deepEqual(script.js, ["content/common.js", `content/${platform}.js`]);
      const hosts = parserHosts(platform);
      for (const pattern of script.matches) {
        assert.match(pattern, /^https:\/\//, pattern);
        assert.match(hostOf(pattern), hosts, pattern);
      }
    });
  }

  test("the sites of the issue are covered: Google Maps and Search, the Business Profile, Yelp and its owner site, Facebook", () => {
    const all = manifest.content_scripts.flatMap((script) => script.matches);
    for (const needed of ["https://www.google.com/maps*", "https://www.google.com/search*", "https://business.google.com/*",
      "https://www.yelp.com/biz/*", "https://biz.yelp.com/*", "https://www.facebook.com/*"]) {
      assert.ok(all.includes(needed), needed);
    }
  });

  test("every file it names is in the folder", () => {
    const files = [
      manifest.background.service_worker, ...manifest.background.scripts, manifest.options_ui.page,
      ...manifest.content_scripts.flatMap((script) => script.js),
      ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon),
    ];
    for (const file of files) assert.ok(existsSync(join(EXTENSION, file)), file);
  });

  test("the icons are PNG images of their stated sizes", () => {
    for (const [size, file] of Object.entries(manifest.icons)) {
      const bytes = readFileSync(join(EXTENSION, file));
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], file);
      assert.equal(bytes.readUInt32BE(16), Number(size), file);
      assert.equal(bytes.readUInt32BE(20), Number(size), file);
    }
  });
});
