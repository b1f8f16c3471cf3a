// The dashboard's stats: this month's figures, the rating trend per platform, time to reply against the
// target, follow-up outcomes, and the rating calculator (W8). Everything comes from GET /api/stats and is
// drawn by charts.js; text reaches the page only as text nodes.

import { api, setStatus } from "./page.js";
import { h, replaceContent } from "/workbench/dom.js";
import { OUTCOME_NAMES, failureMessage, platformName, plural } from "/workbench/format.js";
import { barList, columnChart, lineChart, numbersTable } from "./charts.js";

const state = { stats: null, target: null };
const numberFormat = new Intl.NumberFormat();
const OUTCOMES = Object.entries(OUTCOME_NAMES); // [[outcome, label]]

const slot = (name) => document.querySelector(`[data-slot="${name}"]`);
const count = (value) => numberFormat.format(value ?? 0);
const stars = (value) => (value == null ? "–" : value.toFixed(2));
const percent = (share) => (share == null ? "–" : `${Math.round(share * 100)}%`);

function hours(value) {
  if (value == null) return "–";
  if (value >= 72) return `${(value / 24).toFixed(1)} days`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} h`;
}

/** A period as a calendar date on the reader's clock ("2026-11" is November 2026, "2026-11-02" the week from that Monday). */
function periodDate(period) {
  const [year, month, day] = period.split("-").map(Number);
  return new Date(year, month - 1, day || 1);
}

/** The x-axis label: month, and the year under January and the first period. */
function axisLabel(period, unit, index) {
  const date = periodDate(period);
  if (unit === "week") return date.toLocaleDateString([], { month: "short", day: "numeric" });
  const month = date.toLocaleDateString([], { month: "short" });
  return index === 0 || date.getMonth() === 0 ? `${month}\n${date.getFullYear()}` : month;
}

/** The period in full, for the tables. */
function periodName(period, unit) {
  const date = periodDate(period);
  return unit === "week" ? `Week of ${date.toLocaleDateString([], { dateStyle: "medium" })}`
    : date.toLocaleDateString([], { month: "long", year: "numeric" });
}

function spanName(trend) {
  return trend.months ? `the last ${trend.months} months` : "all the time";
}

// -- this month ------------------------------------------------------------------------------------------

function showHeadline(month) {
  const monthName = periodDate(month.period).toLocaleDateString([], { month: "long" });
  const tile = (name, value, note) => h("div", { class: "tile card", "data-figure": name },
    h("p", { class: "tile-value" }, value), h("p", { class: "tile-label" }, note));
  replaceContent(document.getElementById("headline"),
    tile("reviews", count(month.reviews), `new ${month.reviews === 1 ? "review" : "reviews"} in ${monthName}`),
    tile("within-target", percent(month.share_within_target),
      month.replies_due ? `replied within the target (${count(month.within_target)} of ${count(month.replies_due)} due)`
        : "replied within the target (none due yet)"),
    tile("calls", count(month.follow_up_calls), `follow-up ${month.follow_up_calls === 1 ? "call" : "calls"} logged in ${monthName}`));
  document.getElementById("headline").hidden = false;
}

// -- ratings ---------------------------------------------------------------------------------------------

function showRatings(trend) {
  const labels = trend.periods.map((period, index) => axisLabel(period, trend.unit, index));
  const rated = Object.entries(trend.platforms).filter(([, points]) => points.some((point) => point.running_count));
  const series = rated.flatMap(([platform, points]) => [
    { label: `${platformName(platform)}: average the public sees`, className: `p-${platform}`, values: points.map((p) => p.running_average) },
    { label: `${platformName(platform)}: average of the period's new reviews`, className: `p-${platform}`, shape: "dot",
      values: points.map((p) => p.average) },
  ]);
  const rows = trend.periods.map((period, index) => [periodName(period, trend.unit), ...rated.flatMap(([, points]) => [
    count(points[index].count), stars(points[index].average), stars(points[index].running_average)])]);
  const columns = ["Period", ...rated.flatMap(([platform]) => [`${platformName(platform)} new reviews`,
    `${platformName(platform)} average of new reviews`, `${platformName(platform)} average the public sees`])];
  const chart = rated.length ? lineChart({
    name: "ratings", title: `Average rating per ${trend.unit}, ${spanName(trend)}`,
    description: rated.map(([platform, points]) => `${platformName(platform)}: ${stars(points.at(-1).running_average)} now, ` +
      `from ${count(points.at(-1).running_count)} reviews.`).join(" "),
    labels, series, yMin: 1, yMax: 5, yStep: 1, yFormat: (value) => `${value}★`,
    xTitle: trend.unit === "week" ? "Week (starting Monday)" : "Month", yTitle: "Average stars",
    table: numbersTable("Average rating per period", columns, rows),
  }) : h("p", { class: "muted" }, "No star ratings yet.");
  replaceContent(slot("ratings"), chart);

  const recommendations = trend.facebook_recommendations;
  const any = recommendations.some((point) => point.recommends || point.doesnt_recommend);
  replaceContent(slot("recommendations"), any ? columnChart({
    name: "recommendations", title: `Facebook recommendations per ${trend.unit}, ${spanName(trend)}`,
    description: "Facebook shows no stars: each review recommends the practice or does not.",
    labels, yMax: niceMax(Math.max(...recommendations.map((p) => p.recommends + p.doesnt_recommend)), 4),
    yFormat: count, xTitle: trend.unit === "week" ? "Week (starting Monday)" : "Month", yTitle: "Reviews",
    series: [
      { label: "Recommends", className: "recommends", values: recommendations.map((p) => p.recommends) },
      { label: "Doesn't recommend", className: "not-recommends", values: recommendations.map((p) => p.doesnt_recommend) },
    ],
    table: numbersTable("Facebook recommendations per period", ["Period", "Recommends", "Doesn't recommend"],
      recommendations.map((p) => [periodName(p.period, trend.unit), count(p.recommends), count(p.doesnt_recommend)])),
  }) : null);
}

/** A round top for an axis at or above `value`. */
function niceMax(value, minimum = 1) {
  const top = Math.max(value, minimum);
  const unit = 10 ** Math.floor(Math.log10(top));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((step) => step * unit).find((candidate) => candidate >= top);
}

// -- time to reply ---------------------------------------------------------------------------------------

function showReplies(trend) {
  const target = trend.target_hours;
  const totals = trend.replies_in_window;
  replaceContent(slot("replies-summary"), totals.due
    ? [h("strong", {}, percent(totals.share_within_target)), ` of the reviews due a reply in ${spanName(trend)} had it within the `,
      h("strong", {}, `${target}-hour`), ` target (${count(totals.within_target)} of ${count(totals.due)}). `,
      totals.median_hours == null ? "" : `Half were answered within ${hours(totals.median_hours)}.`]
    : `No review was due a reply in ${spanName(trend)}.`);
  const medians = trend.replies.map((point) => point.median_hours);
  replaceContent(slot("replies"), columnChart({
    name: "replies", title: `Median time to reply per ${trend.unit}, against the ${target}-hour target`,
    description: `Each column is the median hours from first seeing a review to replying, for the reviews first seen that ${trend.unit}. ` +
      `The dashed line is the target of ${target} hours.`,
    labels: trend.periods.map((period, index) => axisLabel(period, trend.unit, index)),
    yMax: niceMax(Math.max(target * 1.25, ...medians.filter((value) => value != null))),
    yFormat: (value) => `${value} h`, xTitle: trend.unit === "week" ? "Week the review came in" : "Month the review came in",
    yTitle: "Hours to reply",
    series: [{ label: "Median hours to reply", className: "within", values: medians }],
    classOf: (_, index, value) => (value <= target ? "within" : "over"),
    legendEntries: [{ label: "Median within the target", className: "within", shape: "box" },
      { label: "Median over the target", className: "over", shape: "box" }],
    reference: { value: target, label: `Target: ${target} h`, className: "target" },
    table: numbersTable("Time to reply per period", ["Period", "Reviews due a reply", "Replied", "Median time to reply", "Within the target"],
      trend.replies.map((point) => [periodName(point.period, trend.unit), count(point.due), count(point.replied), hours(point.median_hours),
        point.due ? `${count(point.within_target)} (${percent(point.share_within_target)})` : "–"])),
  }));
}

// -- follow-ups ------------------------------------------------------------------------------------------

function showFollowUps(trend) {
  const figures = trend.follow_ups;
  const calls = OUTCOMES.reduce((sum, [outcome]) => sum + figures.calls[outcome], 0);
  const change = figures.average_rating_change;
  replaceContent(slot("follow-ups-summary"),
    `${plural(calls, "call", "calls")} logged in ${spanName(trend)}. `,
    figures.reviews_updated_after_follow_up
      ? [h("strong", {}, plural(figures.reviews_updated_after_follow_up, "review was", "reviews were")),
        ` updated by the patient after a call, by ${change > 0 ? "+" : ""}${change.toFixed(1)} stars on average.`]
      : "No review has been updated by the patient after a call yet.");
  replaceContent(slot("calls"), barList({
    name: "calls", title: "Calls by outcome", description: `Follow-up calls logged in ${spanName(trend)}, by what happened.`,
    items: OUTCOMES.map(([outcome, label]) => ({ label, value: figures.calls[outcome], className: `outcome-${outcome}` })),
    table: numbersTable("Calls by outcome", ["Outcome", "Calls"], OUTCOMES.map(([outcome, label]) => [label, count(figures.calls[outcome])])),
  }));
  replaceContent(slot("outcomes"), barList({
    name: "outcomes", title: "Concerns resolved", description: `Follow-ups closed in ${spanName(trend)}: resolved or not resolved.`,
    items: [{ label: "Resolved", value: figures.resolved, className: "resolved" },
      { label: "Not resolved", value: figures.not_resolved, className: "not-resolved" }],
    table: numbersTable("Concerns resolved", ["Outcome", "Follow-ups"],
      [["Resolved", count(figures.resolved)], ["Not resolved", count(figures.not_resolved)]]),
  }));
}

// -- the rating calculator (W8) --------------------------------------------------------------------------

/** The platforms with star ratings, overall first: [[key, name, math, {count, total}]]. */
function ratedPlatforms(stats) {
  return Object.entries(stats.ratings).filter(([, math]) => math.count).map(([key, math]) => {
    const byStars = stats.star_counts[key] ?? {};
    const total = Object.entries(byStars).reduce((sum, [value, number]) => sum + Number(value) * number, 0);
    return [key, key === "overall" ? "All platforms" : platformName(key), math, { count: math.count, total }];
  });
}

function neededText(key, math) {
  if (key === "yelp") return "Never asked: Yelp forbids asking for reviews";
  if (math.average >= math.target) return "Already there";
  if (math.five_stars_to_reach_target == null) return "Not reachable";
  return count(math.five_stars_to_reach_target);
}

function showCalculator(stats) {
  const platforms = ratedPlatforms(stats);
  const target = stats.ratings.overall.target;
  const input = document.getElementById("target");
  if (document.activeElement !== input) input.value = String(target);
  document.querySelector("[data-role=needed-heading]").textContent = `5-star reviews to reach ${target}`;
  replaceContent(document.querySelector("#rating-table tbody"), platforms.map(([key, name, math]) =>
    h("tr", { "data-platform": key, class: key === "overall" ? "overall" : null },
      h("th", { scope: "row" }, name), h("td", {}, count(math.count)), h("td", {}, stars(math.average)),
      h("td", {}, stars(math.after_one_more_1_star)), h("td", { "data-role": "needed" }, neededText(key, math)))));
  const recommendations = stats.facebook_recommendations;
  const yes = recommendations.recommends ?? 0;
  const no = recommendations["doesn't recommend"] ?? 0;
  const overall = stats.ratings.overall;
  const answer = [];
  if (!overall.count) answer.push("No star ratings yet: the calculator works once reviews with stars come in.");
  else if (overall.average >= target) {
    answer.push(`The average of all platforms, ${stars(overall.average)}, is at or above ${target}. `,
      `One more 1-star review would take it to ${stars(overall.after_one_more_1_star)}.`);
  } else if (overall.five_stars_to_reach_target == null) {
    answer.push(`A ${target} average needs every review to have 5 stars, so it cannot be reached now; try a target such as 4.8.`);
  } else {
    answer.push(`To bring the average of all platforms from ${stars(overall.average)} to ${target}, it takes `,
      h("strong", {}, plural(overall.five_stars_to_reach_target, "more 5-star review", "more 5-star reviews")), ".");
  }
  if (yes + no) answer.push(` On Facebook, ${count(yes)} of ${count(yes + no)} recommend the practice (${percent(yes / (yes + no))}).`);
  replaceContent(document.getElementById("target-answer"), answer);

  const select = document.getElementById("what-if-platform");
  const chosen = select.value;
  const askable = askablePlatforms(platforms);
  replaceContent(select, askable.map(([key, name]) => h("option", { value: key, selected: key === chosen }, name)));
  document.getElementById("what-if").hidden = !askable.length;
  showWhatIf();
}

/** Where new reviews can be asked for: never Yelp (it forbids asking), so "what if" never counts on it. */
function askablePlatforms(platforms) {
  return platforms.filter(([key]) => key !== "yelp");
}

/** N more 5-star reviews on the chosen platform: the new average, with the math of rating_math in stats.py. */
function showWhatIf() {
  const platforms = askablePlatforms(ratedPlatforms(state.stats));
  const chosen = platforms.find(([key]) => key === document.getElementById("what-if-platform").value) ?? platforms[0];
  const field = document.getElementById("what-if-count");
  const more = Math.max(0, Math.min(10000, Math.floor(Number(field.value) || 0)));
  const answer = document.getElementById("what-if-answer");
  if (!chosen) return replaceContent(answer);
  const [, name, math, sums] = chosen;
  const average = (sums.total + 5 * more) / (sums.count + more);
  const rounded = Math.round(average * 100) / 100;
  replaceContent(answer, `With ${plural(more, "more 5-star review", "more 5-star reviews")}, the average on ${name === "All platforms" ? "all platforms" : name} would go from ${stars(math.average)} to `,
    h("strong", {}, rounded.toFixed(2)), ` (${count(sums.count + more)} reviews)`,
    average >= math.target ? `: at or above the ${math.target} target.` : `: still below the ${math.target} target.`);
}

// -- loading ---------------------------------------------------------------------------------------------

async function load() {
  const params = new URLSearchParams();
  const months = document.getElementById("period").value;
  if (months) params.set("months", months);
  if (state.target != null) params.set("target", String(state.target));
  setStatus("Loading the figures…");
  const result = await api("GET", `/api/stats?${params}`);
  if (!result.ok) {
    if (result.data?.error === "invalid_parameter" && state.target != null) {
      state.target = null;
      return showTargetError(failureMessage(result));
    }
    return setStatus(failureMessage(result, "The figures could not be loaded."), true);
  }
  const stats = result.data.stats;
  state.stats = stats;
  showTargetError("");
  const sections = ["headline", "ratings", "replies", "follow-ups", "calculator"].map((id) => document.getElementById(id));
  if (!stats.reviews) {
    sections.forEach((section) => { section.hidden = true; });
    return setStatus("No reviews yet. Once the browser toolbar captures the practice's reviews, their figures and charts show here.");
  }
  setStatus("");
  showHeadline(stats.this_month);
  showRatings(stats.trend);
  showReplies(stats.trend);
  showFollowUps(stats.trend);
  showCalculator(stats);
  sections.forEach((section) => { section.hidden = false; });
}

function showTargetError(message) {
  const error = document.getElementById("target-error");
  error.textContent = message;
  error.hidden = !message;
}

document.getElementById("period").addEventListener("change", load);
document.getElementById("target-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = Number(document.getElementById("target").value);
  if (!(value >= 1 && value <= 5)) return showTargetError("Type a target average from 1 to 5 stars, such as 4.5.");
  showTargetError("");
  state.target = value;
  load();
});
document.getElementById("what-if-count").addEventListener("input", () => {
  document.getElementById("what-if-slider").value = document.getElementById("what-if-count").value;
  showWhatIf();
});
document.getElementById("what-if-slider").addEventListener("input", () => {
  document.getElementById("what-if-count").value = document.getElementById("what-if-slider").value;
  showWhatIf();
});
document.getElementById("what-if-platform").addEventListener("change", showWhatIf);
document.getElementById("what-if").addEventListener("submit", (event) => event.preventDefault());

load();
