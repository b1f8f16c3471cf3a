// How the workbench and the dashboard word counts, days and phone numbers (workbench/format.js).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ACTION_CATEGORIES, CATEGORY_NAMES, dayText, decisionName, phoneText, plural } from "../workbench/format.js";

describe("plural", () => {
  test("one, many, and none", () => {
    assert.equal(plural(1, "call"), "1 call");
    assert.equal(plural(3, "call"), "3 calls");
    assert.equal(plural(0, "call"), "0 calls");
  });

  test("an irregular plural, and large counts written as the reader writes numbers", () => {
    assert.equal(plural(2, "review was", "reviews were"), "2 reviews were");
    assert.equal(plural(1, "review was", "reviews were"), "1 review was");
    assert.equal(plural(25000, "row"), `${(25000).toLocaleString()} rows`);
  });
});

describe("dayText", () => {
  test("a stored day is that day on the reader's calendar, whatever the time zone", () => {
    const zone = process.env.TZ;
    try {
      for (const place of ["America/Los_Angeles", "Pacific/Auckland", "UTC"]) {
        process.env.TZ = place;
        assert.equal(dayText("2026-11-02"), new Date(2026, 10, 2).toLocaleDateString([], { dateStyle: "medium" }), place);
        assert.match(dayText("2026-11-02"), /2/);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test("a moment is shown as its date; nothing and unreadable text come back as they are", () => {
    const moment = "2026-11-02T15:00:00Z";
    assert.equal(dayText(moment), new Date(moment).toLocaleDateString([], { dateStyle: "medium" }));
    assert.equal(dayText(""), "");
    assert.equal(dayText(null), "");
    assert.equal(dayText(undefined), "");
    assert.equal(dayText("last spring"), "last spring");
  });
});

describe("phoneText", () => {
  test("North American numbers as people write them", () => {
    assert.equal(phoneText("5125550110"), "(512) 555-0110");
    assert.equal(phoneText("15125550110"), "(512) 555-0110");
    assert.equal(phoneText("+1 512-555-0110"), "(512) 555-0110");
  });

  test("anything else as stored", () => {
    assert.equal(phoneText("+44 20 7946 0958"), "+44 20 7946 0958");
    assert.equal(phoneText("25125550110"), "25125550110");
    assert.equal(phoneText("5550110"), "5550110");
    assert.equal(phoneText(""), "");
    assert.equal(phoneText(null), "");
  });
});

describe("decisionName", () => {
  test("a decision with its category in plain words, or the action alone", () => {
    assert.equal(decisionName("escalate", "violence"), "Escalate — violence");
    assert.equal(decisionName("escalate", "clinical_harm"), "Escalate — clinical harm");
    assert.equal(decisionName("reply", "genuine"), "Reply — genuine review");
    assert.equal(decisionName("do_not_reply", null), "Do not reply");
  });

  test("every category of every action has a name", () => {
    for (const category of Object.values(ACTION_CATEGORIES).flat()) assert.ok(CATEGORY_NAMES[category], category);
  });
});
