/**
 * Curriculum routes for trainers that let the engine pick the next batch's depth.
 *
 *   POST /v1/curriculum/next      {state | schedule+seed, report?}  → {spec, state, feedback?}
 *   POST /v1/curriculum/feedback  {state?, report}                  → {state, action, accuracy, inRange}
 *   GET  /v1/curriculum/state                                        → {state}   (persisted mode only)
 *
 * By default the service is stateless: the client carries the controller state and sends it with
 * every call (it is small, JSON-plain, and validated on arrival). With a state file named at
 * startup the service also keeps one run's state itself, written atomically (temp file, fsync,
 * rename) before a response is sent, so a restart loses nothing; requests may then omit `state`.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  existsSync,
  rmSync,
} from "node:fs";
import { dirname, basename, join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  feedback,
  init,
  next,
  validateState,
  type CurriculumState,
  type FeedbackOutcome,
} from "../curriculum/controller.js";
import type { CurriculumIssue } from "../curriculum/schedule.js";

/** Options of the curriculum routes. */
export interface CurriculumRouteOptions {
  /**
   * File holding the service-kept state (persisted mode). Default: the environment variable
   * SCALELOGIC_CURRICULUM_STATE when set, else none (stateless mode).
   */
  readonly stateFile?: string;
}

type Body = Record<string, unknown>;

/** Writes `text` to `path` so that readers see the old or the new content, never a torn file. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function loadStateFile(path: string): CurriculumState | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(
      `curriculum state file ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const v = validateState(parsed);
  if (!v.ok)
    throw new Error(
      `curriculum state file ${path} is not a valid state: ${v.issues[0].path}: ${v.issues[0].message}`,
    );
  return v.value;
}

function reject(
  reply: FastifyReply,
  status: number,
  issues: readonly CurriculumIssue[],
): { error: string; issues: readonly CurriculumIssue[] } {
  void reply.code(status);
  return { error: issues[0]?.code ?? "invalid-request", issues };
}

function summary(o: FeedbackOutcome): { action: string; accuracy: number | null; inRange: number | null } {
  return { action: o.action, accuracy: o.accuracy, inRange: o.inRange };
}

/** Mounts the curriculum routes on `app` (stateless unless a state file is configured). */
export function registerCurriculumRoutes(app: FastifyInstance, options: CurriculumRouteOptions = {}): void {
  const envFile = process.env.SCALELOGIC_CURRICULUM_STATE;
  const stateFile = options.stateFile ?? (envFile !== undefined && envFile.length > 0 ? envFile : undefined);
  let stored: CurriculumState | null = stateFile === undefined ? null : loadStateFile(stateFile);
  // Requests that touch the stored state run one at a time, so two trainers' calls cannot
  // interleave a read and a write.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => T): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => undefined);
    return run;
  };
  const persist = (s: CurriculumState): void => {
    if (stateFile === undefined) return;
    writeFileAtomic(stateFile, `${JSON.stringify(s)}\n`);
    stored = s;
  };

  /** The state a request works on: carried, freshly started, or stored. */
  const resolve = (
    body: Body,
    allowInit: boolean,
  ):
    | { ok: true; state: CurriculumState; carried: boolean }
    | { ok: false; status: number; issues: CurriculumIssue[] } => {
    if (body["state"] !== undefined) {
      if (body["schedule"] !== undefined) {
        return {
          ok: false,
          status: 400,
          issues: [{ code: "inconsistent", path: "schedule", message: "give state or schedule, not both" }],
        };
      }
      const v = validateState(body["state"]);
      return v.ok
        ? { ok: true, state: v.value, carried: true }
        : { ok: false, status: 400, issues: [...v.issues] };
    }
    if (allowInit && body["schedule"] !== undefined) {
      if (stored !== null && body["reset"] !== true) {
        return {
          ok: false,
          status: 409,
          issues: [
            {
              code: "inconsistent",
              path: "schedule",
              message: "a stored run exists; send reset: true to replace it",
            },
          ],
        };
      }
      const s = init(body["schedule"], { seed: body["seed"] ?? 0 });
      return s.ok
        ? { ok: true, state: s.value, carried: stateFile === undefined }
        : { ok: false, status: 400, issues: [...s.issues] };
    }
    if (stored !== null) return { ok: true, state: stored, carried: false };
    return {
      ok: false,
      status: 400,
      issues: [
        {
          code: "missing",
          path: "state",
          message:
            stateFile === undefined
              ? "send the state from the previous response, or a schedule to start a run"
              : "no stored run yet: send a schedule (and seed) to start one",
        },
      ],
    };
  };

  const checkBody = (body: unknown, allowed: readonly string[]): CurriculumIssue[] => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return [{ code: "invalid-type", path: "body", message: "expected a JSON object" }];
    }
    return Object.keys(body)
      .filter((k) => !allowed.includes(k))
      .map((k) => ({
        code: "unknown-field" as const,
        path: k,
        message: `not a field of this request (${allowed.join(", ")})`,
      }));
  };

  app.post("/v1/curriculum/next", async (req, reply) => {
    const bad = checkBody(req.body, ["state", "schedule", "seed", "reset", "report"]);
    if (bad.length > 0) return reject(reply, 400, bad);
    const body = req.body as Body;
    return serial(() => {
      const r = resolve(body, true);
      if (!r.ok) return reject(reply, r.status, r.issues);
      let state = r.state;
      let fb: FeedbackOutcome | undefined;
      if (body["report"] !== undefined) {
        const f = feedback(state, body["report"]);
        if (!f.ok) return reject(reply, 400, [...f.issues]);
        fb = f.value;
        state = f.value.state;
      }
      const n = next(state);
      if (!r.carried) persist(n.state);
      return { spec: n.spec, state: n.state, ...(fb === undefined ? {} : { feedback: summary(fb) }) };
    });
  });

  app.post("/v1/curriculum/feedback", async (req, reply) => {
    const bad = checkBody(req.body, ["state", "report"]);
    if (bad.length > 0) return reject(reply, 400, bad);
    const body = req.body as Body;
    if (body["report"] === undefined) {
      return reject(reply, 400, [
        { code: "missing", path: "report", message: "send {report: {items | accuracy}}" },
      ]);
    }
    return serial(() => {
      const r = resolve(body, false);
      if (!r.ok) return reject(reply, r.status, r.issues);
      const f = feedback(r.state, body["report"]);
      if (!f.ok) return reject(reply, 400, [...f.issues]);
      if (!r.carried) persist(f.value.state);
      return { state: f.value.state, ...summary(f.value) };
    });
  });

  app.get("/v1/curriculum/state", async (_req, reply) => {
    if (stateFile === undefined) {
      return reject(reply, 404, [
        { code: "missing", path: "state", message: "stateless mode: the client holds the state" },
      ]);
    }
    return serial(() =>
      stored === null
        ? reject(reply, 404, [{ code: "missing", path: "state", message: "no stored run yet" }])
        : { state: stored },
    );
  });
}
