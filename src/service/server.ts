/**
 * The reward service over HTTP (fastify) in front of the worker pool.
 *
 * Routes: `POST /v1/score` (native batch), `POST /openrlhf` (OpenRLHF remote reward),
 * `GET /health` (never needs the token, for load balancers), `GET /metrics` (Prometheus text,
 * or JSON with `?format=json`). Every refused request gets a JSON body
 * `{"error": {"code", "message"}}` with a 4xx status; every accepted item gets a reward, with
 * failures as reward 0 and a code, so one bad item never costs the rest of its batch.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ScoreResult } from "../reward/score.js";
import { Metrics } from "./metrics.js";
import { responseOf, truthOfLabel } from "./openrlhf.js";
import { ScorePool, type PoolOptions } from "./pool.js";

/** Service settings; every field has a default. */
export interface ServiceOptions {
  /** Interface to bind (default 127.0.0.1: loopback only). */
  readonly host?: string;
  /** Port (default 8000; 0 picks a free one). */
  readonly port?: number;
  /** Bearer token; when set, every route but `/health` requires `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Largest request body in bytes (default 64 MiB); larger bodies get 413. */
  readonly maxBodyBytes?: number;
  /** Largest completion in UTF-8 bytes (default 1 MiB); larger ones score 0 with `size-limit`. */
  readonly maxCompletionBytes?: number;
  /** Most items in one request (default 4,096); more gets 413. */
  readonly maxItems?: number;
  /** Deepest JSON nesting accepted in a body (default 64); deeper gets 400. */
  readonly maxJsonDepth?: number;
  /** Worker pool settings (threads, backstop, cache). */
  readonly pool?: PoolOptions;
  /** Extra routes to mount (e.g. the curriculum's), called before the server starts. */
  readonly plugins?: ReadonlyArray<(app: FastifyInstance) => void>;
}

/** A running (or ready-to-listen) service. */
export interface Service {
  readonly app: FastifyInstance;
  readonly pool: ScorePool;
  readonly metrics: Metrics;
  /** Starts listening; resolves to the bound address. */
  listen(): Promise<{ readonly host: string; readonly port: number; readonly url: string }>;
  /** Stops accepting requests, finishes in-flight ones, then stops the workers. */
  close(): Promise<void>;
}

/** A request refused before scoring: status, stable code, message. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Deepest bracket nesting of a JSON text, stopping early past `limit`; skips string contents with
 * `indexOf` so the scan is cheap on completion-heavy bodies.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Jump to the closing quote that is not escaped.
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let bs = 0;
        for (let k = j - 1; text.charCodeAt(k) === 92; k--) bs++;
        if (bs % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1) return max;
      i = j;
    } else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

function tokenDigest(t: string): Buffer {
  return createHash("sha256").update(t, "utf8").digest();
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

const TASK_DEFAULT_KEYS = ["task", "mode", "lenientAnswer", "answer", "problem", "id", "config"] as const;

/** The per-request defaults object, merged under each item. */
function readDefaults(x: unknown): Record<string, unknown> {
  if (x === undefined) return {};
  if (!isRecord(x)) throw new HttpError(400, "bad-request", "defaults must be an object");
  const out: Record<string, unknown> = {};
  for (const k of TASK_DEFAULT_KEYS) if (x[k] !== undefined) out[k] = x[k];
  return out;
}

/** Builds the service (workers start at once); call `listen()` to serve. */
export function createService(options: ServiceOptions = {}): Service {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const maxCompletionBytes = options.maxCompletionBytes ?? 1024 * 1024;
  const maxItems = options.maxItems ?? 4096;
  const maxJsonDepth = options.maxJsonDepth ?? 64;
  for (const [name, v] of [
    ["maxBodyBytes", maxBodyBytes],
    ["maxCompletionBytes", maxCompletionBytes],
    ["maxItems", maxItems],
    ["maxJsonDepth", maxJsonDepth],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${port}`);
  if (options.token !== undefined && options.token.length === 0)
    throw new RangeError("token must be non-empty");

  // The pool's char bound is the byte bound: a string has at least as many UTF-8 bytes as UTF-16
  // units, so it never admits a completion the byte check below would refuse.
  const pool = new ScorePool({ ...options.pool, maxCompletionChars: maxCompletionBytes });
  const metrics = new Metrics();
  const app = Fastify({ bodyLimit: maxBodyBytes, logger: false, return503OnClosing: true });
  const expected = options.token === undefined ? undefined : tokenDigest(options.token);
  let draining = false;

  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.length === 0)
      return done(new HttpError(400, "empty-body", "the request body is empty"), undefined);
    if (jsonDepth(text, maxJsonDepth) > maxJsonDepth) {
      return done(
        new HttpError(400, "too-deep", `JSON nested deeper than ${maxJsonDepth} levels`),
        undefined,
      );
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (e) {
      done(
        new HttpError(400, "malformed-json", `malformed JSON: ${e instanceof Error ? e.message : String(e)}`),
        undefined,
      );
    }
  });

  app.setErrorHandler((err: unknown, _req: FastifyRequest, reply: FastifyReply) => {
    let status = 500;
    let code = "internal";
    let message = "internal error";
    if (err instanceof HttpError) {
      status = err.statusCode;
      code = err.code;
      message = err.message;
    } else if (isRecord(err) || err instanceof Error) {
      const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
      status = typeof e.statusCode === "number" ? e.statusCode : 500;
      message = typeof e.message === "string" ? e.message : message;
      code =
        e.code === "FST_ERR_CTP_BODY_TOO_LARGE"
          ? "body-too-large"
          : e.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
            ? "unsupported-media-type"
            : e.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
              ? "empty-body"
              : status < 500
                ? "bad-request"
                : "internal";
    }
    metrics.reject(code);
    void reply.code(status).send({ error: { code, message } });
  });

  app.setNotFoundHandler((req, reply) => {
    metrics.reject("not-found");
    void reply.code(404).send({ error: { code: "not-found", message: `no route ${req.method} ${req.url}` } });
  });

  app.addHook("onRequest", async (req) => {
    if (expected === undefined || req.url === "/health") return;
    const h = req.headers.authorization;
    const given = typeof h === "string" && h.startsWith("Bearer ") ? h.slice(7).trim() : "";
    // Compare fixed-length digests so the time taken says nothing about the token.
    if (!timingSafeEqual(tokenDigest(given), expected)) {
      throw new HttpError(401, "unauthorized", "missing or wrong bearer token");
    }
  });

  app.addHook("onSend", async (_req, reply) => {
    // While draining, ask keep-alive clients to hang up so the server can finish closing.
    if (draining) void reply.header("connection", "close");
  });

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unknown";
    metrics.request(route, reply.statusCode, reply.elapsedTime);
  });

  async function scoreItems(items: unknown[]): Promise<ScoreResult[]> {
    // Exact UTF-8 byte bound, computed only when the UTF-16 length leaves room for doubt.
    const pre: Array<ScoreResult | undefined> = items.map((it) => {
      const c = isRecord(it) ? it.completion : undefined;
      if (
        typeof c === "string" &&
        c.length * 3 > maxCompletionBytes &&
        Buffer.byteLength(c, "utf8") > maxCompletionBytes
      ) {
        return {
          reward: 0,
          score: 0,
          code: "size-limit",
          message: `completion larger than ${maxCompletionBytes} bytes`,
          steps: 0,
          proofLines: 0,
        };
      }
      return undefined;
    });
    const todo = items.filter((_, i) => pre[i] === undefined);
    const done = await pool.scoreBatch(todo);
    let k = 0;
    const missing: ScoreResult = { reward: 0, score: 0, code: "internal", steps: 0, proofLines: 0 };
    const out = pre.map((r) => r ?? done[k++] ?? missing);
    metrics.scored(out);
    return out;
  }

  function checkCount(n: number): void {
    if (n === 0) throw new HttpError(400, "bad-request", "no items");
    if (n > maxItems)
      throw new HttpError(413, "too-many-items", `at most ${maxItems} items per request, got ${n}`);
  }

  app.post("/v1/score", async (req) => {
    const body = req.body;
    if (!isRecord(body))
      throw new HttpError(400, "bad-request", "the body must be a JSON object with an items list");
    if (!Array.isArray(body.items)) throw new HttpError(400, "bad-request", "items must be a list");
    checkCount(body.items.length);
    const defaults = readDefaults(body.defaults);
    const items = body.items.map((it: unknown) =>
      isRecord(it) && Object.keys(defaults).length > 0 ? { ...defaults, ...it } : it,
    );
    const results = await scoreItems(items);
    return { rewards: results.map((r) => r.reward), scores: results.map((r) => r.score), results };
  });

  // The benchmark's same-run baseline: the same body limits, parsing and shape check, no scoring.
  app.post("/v1/noop", async (req) => {
    const body = req.body;
    if (!isRecord(body) || !Array.isArray(body.items))
      throw new HttpError(400, "bad-request", "items must be a list");
    checkCount(body.items.length);
    return { rewards: body.items.map(() => 0) };
  });

  app.post("/openrlhf", async (req) => {
    const body = req.body;
    if (!isRecord(body))
      throw new HttpError(400, "bad-request", "the body must be a JSON object {query, prompts, labels}");
    const { query, prompts, labels } = body;
    if (!Array.isArray(query) || !query.every((q) => typeof q === "string")) {
      throw new HttpError(400, "bad-request", "query must be a list of strings");
    }
    checkCount(query.length);
    if (!Array.isArray(labels) || labels.length !== query.length) {
      throw new HttpError(400, "bad-request", "labels must be a list as long as query");
    }
    // Older OpenRLHF releases send `prompts: null`; then the query is stripped by template only.
    if (
      prompts !== undefined &&
      prompts !== null &&
      (!Array.isArray(prompts) || prompts.length !== query.length)
    ) {
      throw new HttpError(400, "bad-request", "prompts must be a list as long as query");
    }
    const q = req.query as Record<string, unknown>;
    const defaults = readDefaults({
      ...(typeof q.task === "string" ? { task: q.task } : {}),
      ...(typeof q.mode === "string" ? { mode: q.mode } : {}),
      ...(q.lenientAnswer === "true" || q.lenientAnswer === "1" ? { lenientAnswer: true } : {}),
    });
    const items = query.map((text: string, i) => {
      const p: unknown = Array.isArray(prompts) ? prompts[i] : undefined;
      const truth = truthOfLabel(labels[i]);
      // A missing or unusable label still yields an item, so it scores 0 with bad-request.
      return {
        ...defaults,
        ...(truth ?? {}),
        completion: responseOf(text, typeof p === "string" ? p : undefined),
      };
    });
    const results = await scoreItems(items);
    const rewards = results.map((r) => r.reward);
    return {
      rewards,
      scores: results.map((r) => r.score),
      extra_logs: {
        correct: rewards,
        format_error: results.map((r) => (r.code === "format" ? 1 : 0)),
        wrong_answer: results.map((r) => (r.code === "wrong-answer" ? 1 : 0)),
        invalid_item: results.map((r) => (r.code === "bad-item" || r.code === "bad-request" ? 1 : 0)),
        timeout: results.map((r) => (r.code === "timeout" ? 1 : 0)),
        proof_steps: results.map((r) => r.steps),
        proof_lines: results.map((r) => r.proofLines),
      },
    };
  });

  app.get("/health", async (_req, reply) => {
    const s = pool.stats;
    void reply.code(draining ? 503 : 200);
    return { status: draining ? "draining" : "ok", threads: s.threads, queued: s.queued, running: s.running };
  });

  app.get("/metrics", async (req, reply) => {
    const s = pool.stats;
    const extra: Record<string, number> = { ...s };
    if ((req.query as Record<string, unknown>).format === "json") return metrics.snapshot(extra);
    void reply.type("text/plain; version=0.0.4");
    return metrics.prometheus(extra);
  });

  for (const plugin of options.plugins ?? []) plugin(app);

  let closing: Promise<void> | undefined;
  return {
    app,
    pool,
    metrics,
    async listen() {
      await pool.ready();
      await app.listen({ host, port });
      const addr = app.server.address();
      const bound = typeof addr === "object" && addr !== null ? addr.port : port;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      return { host, port: bound, url: `http://${shownHost}:${bound}` };
    },
    close() {
      closing ??= (async () => {
        draining = true;
        // Idle keep-alive sockets would hold close() open; in-flight requests are left to finish.
        const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          app.server.closeIdleConnections();
          await app.close();
        } finally {
          clearInterval(reaper);
        }
        await pool.close();
      })();
      return closing;
    },
  };
}
