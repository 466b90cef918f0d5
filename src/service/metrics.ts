/**
 * Service metrics: request and verification counts, latency quantiles over a sliding window,
 * results by reward code and rejected requests by error code. Exported as Prometheus text (the
 * default at `GET /metrics`) or JSON (`GET /metrics?format=json`).
 */

/** A fixed-size window of recent samples with quantiles computed on demand. */
class Window {
  private readonly buf: Float64Array;
  private n = 0;
  private next = 0;
  constructor(size: number) {
    this.buf = new Float64Array(size);
  }
  add(v: number): void {
    this.buf[this.next] = v;
    this.next = (this.next + 1) % this.buf.length;
    if (this.n < this.buf.length) this.n++;
  }
  quantiles(qs: readonly number[]): number[] {
    if (this.n === 0) return qs.map(() => 0);
    const sorted = this.buf.slice(0, this.n).sort();
    return qs.map((q) => sorted[Math.min(this.n - 1, Math.floor(q * this.n))] ?? 0);
  }
}

const QUANTILES = [0.5, 0.9, 0.99] as const;

function inc(m: Map<string, number>, key: string, by = 1): void {
  m.set(key, (m.get(key) ?? 0) + by);
}

/** Counters and latency windows for one service instance. */
export class Metrics {
  private readonly started = Date.now();
  private readonly requests = new Map<string, number>();
  private readonly rejects = new Map<string, number>();
  private readonly results = new Map<string, number>();
  private readonly latency = new Map<string, Window>();
  private verifications = 0;
  private rewardSum = 0;

  /** Records one finished HTTP request on `route` with its status and latency. */
  request(route: string, status: number, ms: number): void {
    inc(this.requests, `${route}\u0000${status}`);
    let w = this.latency.get(route);
    if (w === undefined) {
      w = new Window(4096);
      this.latency.set(route, w);
    }
    w.add(ms);
  }

  /** Records a request refused with an error code (4xx/5xx). */
  reject(code: string): void {
    inc(this.rejects, code);
  }

  /** Records the scored items of one batch. */
  scored(results: readonly { readonly code: string; readonly reward: number }[]): void {
    this.verifications += results.length;
    for (const r of results) {
      inc(this.results, r.code);
      this.rewardSum += r.reward;
    }
  }

  /** A JSON snapshot. */
  snapshot(extra: Readonly<Record<string, number>> = {}): Record<string, unknown> {
    const requests: Record<string, Record<string, number>> = {};
    for (const [k, v] of this.requests) {
      const [route = "", status = ""] = k.split("\u0000");
      (requests[route] ??= {})[status] = v;
    }
    const latencyMs: Record<string, Record<string, number>> = {};
    for (const [route, w] of this.latency) {
      const q = w.quantiles(QUANTILES);
      latencyMs[route] = { p50: q[0] ?? 0, p90: q[1] ?? 0, p99: q[2] ?? 0 };
    }
    return {
      uptimeSeconds: (Date.now() - this.started) / 1000,
      requests,
      verifications: this.verifications,
      rewardSum: this.rewardSum,
      resultsByCode: Object.fromEntries(this.results),
      rejectsByCode: Object.fromEntries(this.rejects),
      latencyMs,
      pool: extra,
    };
  }

  /** Prometheus text exposition format (version 0.0.4). */
  prometheus(extra: Readonly<Record<string, number>> = {}): string {
    const lines: string[] = [];
    const esc = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
    lines.push("# HELP scalelogic_uptime_seconds Seconds since the service started.");
    lines.push("# TYPE scalelogic_uptime_seconds gauge");
    lines.push(`scalelogic_uptime_seconds ${(Date.now() - this.started) / 1000}`);
    lines.push("# HELP scalelogic_requests_total HTTP requests by route and status.");
    lines.push("# TYPE scalelogic_requests_total counter");
    for (const [k, v] of this.requests) {
      const [route = "", status = ""] = k.split("\u0000");
      lines.push(`scalelogic_requests_total{route="${esc(route)}",status="${esc(status)}"} ${v}`);
    }
    lines.push("# HELP scalelogic_verifications_total Items scored.");
    lines.push("# TYPE scalelogic_verifications_total counter");
    lines.push(`scalelogic_verifications_total ${this.verifications}`);
    lines.push("# HELP scalelogic_reward_sum Sum of rewards given.");
    lines.push("# TYPE scalelogic_reward_sum counter");
    lines.push(`scalelogic_reward_sum ${this.rewardSum}`);
    lines.push("# HELP scalelogic_results_total Scored items by result code.");
    lines.push("# TYPE scalelogic_results_total counter");
    for (const [code, v] of this.results) lines.push(`scalelogic_results_total{code="${esc(code)}"} ${v}`);
    lines.push("# HELP scalelogic_rejects_total Refused requests by error code.");
    lines.push("# TYPE scalelogic_rejects_total counter");
    for (const [code, v] of this.rejects) lines.push(`scalelogic_rejects_total{code="${esc(code)}"} ${v}`);
    lines.push("# HELP scalelogic_request_latency_ms Request latency over the last 4096 requests per route.");
    lines.push("# TYPE scalelogic_request_latency_ms summary");
    for (const [route, w] of this.latency) {
      const q = w.quantiles(QUANTILES);
      QUANTILES.forEach((qq, i) =>
        lines.push(`scalelogic_request_latency_ms{route="${esc(route)}",quantile="${qq}"} ${q[i] ?? 0}`),
      );
    }
    for (const [name, v] of Object.entries(extra)) {
      const snake = name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
      lines.push(`# TYPE scalelogic_pool_${snake} gauge`);
      lines.push(`scalelogic_pool_${snake} ${v}`);
    }
    return lines.join("\n") + "\n";
  }
}
