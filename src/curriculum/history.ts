/**
 * Logging and replaying a curriculum run.
 *
 * A history is the initial state plus every event in order: each issued batch spec and each
 * accepted report. Because the controller is a pure function of its state, replaying the events
 * from the initial state must reproduce every logged spec byte for byte; `replay` checks that and
 * names the first event where a log and the code disagree.
 */
import {
  feedback,
  next,
  validateState,
  type BatchSpec,
  type CurriculumState,
  type FeedbackAction,
  type FeedbackOutcome,
} from "./controller.js";
import type { Checked } from "./schedule.js";

/** One logged event. Reports are stored as sent; the action is what the controller did. */
export type HistoryEvent =
  | { readonly type: "next"; readonly spec: BatchSpec }
  | { readonly type: "feedback"; readonly report: unknown; readonly action: FeedbackAction };

/** A run's full log: where it started and what happened since. */
export interface History {
  readonly initial: CurriculumState;
  readonly events: readonly HistoryEvent[];
}

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(",")}]`;
  if (typeof x === "object" && x !== null) {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(x) ?? "null";
}

/** Keeps a run's current state and appends every event to its history as it goes. */
export class Recorder {
  private current: CurriculumState;
  private readonly log: HistoryEvent[] = [];
  private readonly start: CurriculumState;

  constructor(initial: CurriculumState) {
    this.start = initial;
    this.current = initial;
  }
  /** The state after the last recorded event. */
  get state(): CurriculumState {
    return this.current;
  }
  /** The log so far (a snapshot copy). */
  get history(): History {
    return { initial: this.start, events: [...this.log] };
  }
  /** Issues and logs the next batch. */
  next(): BatchSpec {
    const r = next(this.current);
    this.current = r.state;
    this.log.push({ type: "next", spec: r.spec });
    return r.spec;
  }
  /** Applies and logs a report; a rejected report is not logged and changes nothing. */
  feedback(report: unknown): Checked<FeedbackOutcome> {
    const r = feedback(this.current, report);
    if (r.ok) {
      this.current = r.value.state;
      this.log.push({ type: "feedback", report, action: r.value.action });
    }
    return r;
  }
}

/**
 * Replays an untrusted history: validates the initial state, re-issues every batch and re-applies
 * every report, and fails with "replay-mismatch" at the first spec or action that differs from
 * the log. On success returns the final state and every batch spec.
 */
export function replay(
  input: unknown,
): Checked<{ readonly state: CurriculumState; readonly specs: BatchSpec[] }> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ code: "invalid-type", path: "history", message: "expected {initial, events}" }],
    };
  }
  const h = input as Record<string, unknown>;
  const init = validateState(h["initial"]);
  if (!init.ok) return init;
  const events = h["events"];
  if (!Array.isArray(events)) {
    return {
      ok: false,
      issues: [{ code: "invalid-type", path: "history.events", message: "expected an array" }],
    };
  }
  let state = init.value;
  const specs: BatchSpec[] = [];
  for (let i = 0; i < events.length; i++) {
    const e: unknown = events[i];
    const at = `history.events[${i}]`;
    const ev = typeof e === "object" && e !== null ? (e as Record<string, unknown>) : {};
    if (ev["type"] === "next") {
      const r = next(state);
      if (canonicalJson(r.spec) !== canonicalJson(ev["spec"])) {
        return mismatch(`${at}.spec`, `batch ${r.spec.batch} replays to ${canonicalJson(r.spec)}`);
      }
      specs.push(r.spec);
      state = r.state;
    } else if (ev["type"] === "feedback") {
      const r = feedback(state, ev["report"]);
      if (!r.ok) {
        return mismatch(`${at}.report`, `logged report is rejected on replay: ${r.issues[0].message}`);
      }
      if (ev["action"] !== undefined && ev["action"] !== r.value.action) {
        return mismatch(
          `${at}.action`,
          `logged action ${String(ev["action"])}, replay gives ${r.value.action}`,
        );
      }
      state = r.value.state;
    } else {
      return {
        ok: false,
        issues: [{ code: "invalid-type", path: `${at}.type`, message: 'expected "next" or "feedback"' }],
      };
    }
  }
  return { ok: true, value: { state, specs } };
}

function mismatch<T>(path: string, message: string): Checked<T> {
  return { ok: false, issues: [{ code: "replay-mismatch", path, message }] };
}
