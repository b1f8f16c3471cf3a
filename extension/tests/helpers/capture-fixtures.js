/**
 * Prints, as JSON, what the content scripts send for every parser fixture page:
 * `{"<platform>/<name>": [capture message, ...]}`. tests/extension/test_units.py feeds these to the
 * real parsers and expects the fixture's reviews back: the capture keeps everything the server reads.
 *
 *   node extension/tests/helpers/capture-fixtures.js
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, capturerOn, loadFixture } from "./content-page.js";

async function capturesOf(platform, name) {
  const page = loadFixture(platform, name);
  const { capturer, sent, time } = capturerOn(page);
  capturer.check();
  await time.advance(10_000);
  page.window.close();
  return sent;
}

const captures = {};
for (const platform of ["google", "yelp", "facebook"]) {
  for (const file of readdirSync(join(FIXTURES, platform)).filter((name) => name.endsWith(".html")).sort()) {
    const name = file.slice(0, -".html".length);
    captures[`${platform}/${name}`] = await capturesOf(platform, name);
  }
}
process.stdout.write(JSON.stringify(captures));
