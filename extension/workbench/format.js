// How the workbench words things: platform and stage names, stars, moments and durations.

export const PLATFORM_NAMES = { google: "Google", yelp: "Yelp", facebook: "Facebook" };

export const STAGE_NAMES = {
  new: "New",
  cooling_down: "Cooling down",
  ready: "Ready to reply",
  overdue: "Overdue",
  replied: "Replied",
  follow_up: "Follow-up",
  resolved: "Resolved",
  closed: "Closed",
  ignored: "Ignored",
  escalated: "Escalated",
};

export const ACTION_NAMES = { reply: "Reply", do_not_reply: "Do not reply", escalate: "Escalate" };

/** The triage's categories in plain words (the server's ids: server/replies/learned.py). */
export const CATEGORY_NAMES = {
  clinical_harm: "clinical harm", emergency: "emergency", privacy_breach: "privacy breach", legal: "legal threat",
  regulator: "complaint to a board or regulator", violence: "violence", self_harm: "self-harm",
  spam: "spam or advertising", wrong_business: "about another business", hate: "hate speech", harassment: "harassment",
  gibberish: "makes no sense", political: "political or conspiracy post",
  genuine: "genuine review",
};

/** The categories of each action, in the order staff choose from them. */
export const ACTION_CATEGORIES = {
  reply: ["genuine"],
  do_not_reply: ["spam", "wrong_business", "hate", "harassment", "gibberish", "political"],
  escalate: ["clinical_harm", "emergency", "privacy_breach", "legal", "regulator", "violence", "self_harm"],
};

export function categoryName(category) {
  return CATEGORY_NAMES[category] ?? String(category ?? "").replaceAll("_", " ");
}

/** "Escalate — violence"; the action's name alone without a category. */
export function decisionName(action, category) {
  const name = ACTION_NAMES[action] ?? String(action ?? "").replaceAll("_", " ");
  return category ? `${name} — ${categoryName(category)}` : name;
}

export const OUTCOME_NAMES = { reached: "Reached", voicemail: "Left a voicemail", unreachable: "Unreachable" };

export function platformName(platform) {
  return PLATFORM_NAMES[platform] ?? String(platform ?? "");
}

export function stageName(stage) {
  return STAGE_NAMES[stage] ?? String(stage ?? "");
}

/** "★★☆☆☆" for a rating; "Recommends" / "Doesn't recommend" for Facebook; "" when neither. */
export function ratingText(review) {
  const rating = Number(review?.rating);
  if (Number.isInteger(rating) && rating >= 1 && rating <= 5) return "★".repeat(rating) + "☆".repeat(5 - rating);
  if (review?.recommends === true) return "Recommends";
  if (review?.recommends === false) return "Doesn't recommend";
  return "";
}

/** What a screen reader says for `ratingText`. */
export function ratingLabel(review) {
  const rating = Number(review?.rating);
  if (Number.isInteger(rating) && rating >= 1 && rating <= 5) return `${rating} of 5 stars`;
  return ratingText(review) || "No rating";
}

/** An ISO moment in the reader's local time ("Nov 23, 2026, 2:05 PM"), or the text itself if unreadable. */
export function localTime(iso) {
  if (!iso) return "";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return String(iso);
  return moment.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** A countdown: "29:59", or "1:02:03" past an hour; never negative. */
export function clockDuration(milliseconds) {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const twoDigits = (value) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${twoDigits(minutes)}:${twoDigits(seconds)}` : `${minutes}:${twoDigits(seconds)}`;
}

/** The first `limit` characters of a text, cut at a word where possible. */
export function shortText(text, limit = 140) {
  const value = String(text ?? "").replace(/\s+/g, " ").trim();
  if (value.length <= limit) return value;
  const cut = value.slice(0, limit - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return (lastSpace > limit * 0.6 ? cut.slice(0, lastSpace) : cut) + "…";
}

/** The message of a failed `api` answer, for people. */
export function failureMessage(result, fallback = "The request did not go through.") {
  const message = result?.data?.message ?? result?.message;
  if (typeof message === "string" && message.trim()) return message;
  if (result?.status === 0) return "ReviewDesk's server cannot be reached. Start it with `reviewdesk serve`.";
  return result?.status ? `${fallback} (the server answered ${result.status})` : fallback;
}

/** "1 call", "3 calls", with the count as the reader writes numbers ("1,200 rows"); `many` defaults to `one` + "s". */
export function plural(count, one, many = `${one}s`) {
  return `${Number(count).toLocaleString()} ${count === 1 ? one : many}`;
}

/** A stored day ("2026-11-02") or moment as a date on the reader's calendar ("Nov 2, 2026"); a day never shifts
 * with the time zone. Text that is no date comes back as it is. */
export function dayText(value) {
  const text = String(value ?? "");
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const moment = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(text);
  return !text || Number.isNaN(moment.getTime()) ? text : moment.toLocaleDateString([], { dateStyle: "medium" });
}

/** A phone number as people write it: "(512) 555-0100" for a North American number (10 digits, or 11 starting
 * with 1), else as stored. */
export function phoneText(value) {
  const digits = String(value ?? "").replace(/\D/g, "");
  const local = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  return local.length === 10 ? `(${local.slice(0, 3)}) ${local.slice(3, 6)}-${local.slice(6)}` : String(value ?? "");
}
