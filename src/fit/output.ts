/** Tables (CSV via arquero) and JSON for an analysis; plain functions of the data, no I/O. */
import * as aq from "arquero";
import type { Analysis } from "./analysis.js";

/** One row per run: crossed runs with T, censored runs with how far they got. */
export function runsCsv(a: Analysis): string {
  const rows = [
    ...a.runs.map((r) => ({
      setting: r.setting,
      depth: r.depth,
      seed: r.seed,
      status: "crossed",
      T: r.t,
      crossed_at: r.crossedAt,
      accuracy_at: r.accuracyAt,
      interpolated: r.interpolated,
      first_evaluation: r.firstEvaluation,
      last_x: null,
      best_accuracy: null,
      evaluations: r.evaluations,
    })),
    ...a.censored.map((c) => ({
      setting: c.setting,
      depth: c.depth,
      seed: c.seed,
      status: "censored",
      T: null,
      crossed_at: null,
      accuracy_at: null,
      interpolated: null,
      first_evaluation: null,
      last_x: c.lastX,
      best_accuracy: c.bestAccuracy,
      evaluations: c.evaluations,
    })),
  ];
  if (rows.length === 0) return "";
  return aq.from(rows).orderby("setting", "depth", "seed").toCSV() + "\n";
}

/** One row per setting: γ with its intervals, the floor-aware γ, and why a setting failed. */
export function fitsCsv(a: Analysis): string {
  const rows = a.settings.map((s) => {
    if (!s.ok) {
      return {
        setting: s.setting,
        ok: false,
        n: null,
        depths: null,
        gamma: null,
        se_gamma: null,
        ci_low: null,
        ci_high: null,
        boot_low: null,
        boot_high: null,
        a: null,
        r2: null,
        floor_c: null,
        floor_gamma: null,
        floor_disagrees: null,
        runs: s.runs,
        censored: s.censored,
        error: `${s.issues[0].code}: ${s.issues[0].message}`,
      };
    }
    const floorOk = "gamma" in s.floor ? s.floor : null;
    return {
      setting: s.setting,
      ok: true,
      n: s.fit.n,
      depths: s.depths.join(" "),
      gamma: s.fit.gamma,
      se_gamma: s.fit.seGamma,
      ci_low: s.fit.ciGamma?.[0] ?? null,
      ci_high: s.fit.ciGamma?.[1] ?? null,
      boot_low: s.bootstrap?.gammaInterval[0] ?? null,
      boot_high: s.bootstrap?.gammaInterval[1] ?? null,
      a: s.fit.a,
      r2: s.fit.r2,
      floor_c: floorOk?.c ?? null,
      floor_gamma: floorOk?.gamma ?? null,
      floor_disagrees: floorOk?.disagrees ?? null,
      runs: s.runs,
      censored: s.censored,
      error: null,
    };
  });
  if (rows.length === 0) return "";
  return aq.from(rows).toCSV() + "\n";
}

/** The analysis as pretty JSON, with the inputs that produced it. */
export function analysisJson(a: Analysis, meta: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ ...meta, ...a }, null, 2) + "\n";
}

/** A short human summary, one line per setting and comparison. */
export function summaryText(a: Analysis): string {
  const lines: string[] = [];
  const pct = Math.round(a.level * 100);
  for (const s of a.settings) {
    if (!s.ok) {
      lines.push(`${s.setting}: not fitted: ${s.issues[0].code}: ${s.issues[0].message}`);
      continue;
    }
    const f = s.fit;
    let line = `${s.setting}: γ = ${f.gamma.toFixed(3)}`;
    if (f.seGamma !== null) line += ` ± ${f.seGamma.toFixed(3)} (SE)`;
    if (f.ciGamma !== null) line += `, ${pct} % CI [${f.ciGamma[0].toFixed(3)}, ${f.ciGamma[1].toFixed(3)}]`;
    if (s.bootstrap !== null)
      line += `, bootstrap [${s.bootstrap.gammaInterval[0].toFixed(3)}, ${s.bootstrap.gammaInterval[1].toFixed(3)}]`;
    if (f.r2 !== null) line += `, R² = ${f.r2.toFixed(4)}`;
    line += `, n = ${f.n} at ${s.depths.length} depths`;
    if (s.censored > 0) line += `, ${s.censored} censored`;
    lines.push(line);
    if ("gamma" in s.floor)
      lines.push(
        `  floor-aware: T = ${s.floor.c.toPrecision(4)} + ${s.floor.a.toPrecision(4)}·D^${s.floor.gamma.toFixed(3)}${s.floor.disagrees ? "  ← disagrees by " + (100 * s.floor.relativeDifference).toFixed(1) + " %" : ""}`,
      );
    for (const p of s.predictions) {
      const iv =
        p.prediction === null
          ? ""
          : ` (${pct} % prediction interval ${p.prediction[0].toPrecision(4)} – ${p.prediction[1].toPrecision(4)})`;
      lines.push(`  predicted T at D = ${p.depth}: ${p.t.toPrecision(4)}${iv}`);
    }
    for (const w of s.warnings) lines.push(`  warning: ${w}`);
  }
  for (const c of a.comparisons) {
    const iv = c.interval ?? c.bootstrapInterval;
    lines.push(
      `γ(${c.a}) − γ(${c.b}) = ${c.difference.toFixed(3)}${iv === null ? "" : ` [${iv[0].toFixed(3)}, ${iv[1].toFixed(3)}]`}${c.distinguishable === true ? " (interval excludes 0)" : ""}`,
    );
  }
  return lines.join("\n") + "\n";
}
