/**
 * The log-log figure: per setting, the fitted points, the least-squares line with its 95 % band
 * for the fitted T, censored runs as open up-triangles (T is beyond them), predictions with their
 * intervals, and a legend with γ ± SE. Hand-written SVG: a few hundred bytes of geometry did not
 * justify a charting stack, and the output stays byte-for-byte deterministic.
 */
import type { Analysis, FittedSetting } from "./analysis.js";
import { fitPowerLaw, predictT, type PowerLawFit } from "./regression.js";

/** Figure options. */
export interface PlotOptions {
  /** Label of the compute axis (default "T (steps to reach accuracy ≥ threshold)"). */
  readonly yLabel?: string;
  readonly xLabel?: string;
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

// Okabe–Ito colours: distinguishable with common colour-vision deficiencies.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
const SHAPES = ["circle", "square", "diamond", "triangle"] as const;
type Shape = (typeof SHAPES)[number];
const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function n2(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

const SUP: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** Tick label: plain below 10⁵, otherwise m×10ᵏ with Unicode superscripts (renders everywhere). */
export function tickLabel(v: number): string {
  if (v >= 1e-2 && v < 1e5) return Number(v.toPrecision(6)).toLocaleString("en-US");
  const k = Math.floor(Math.log10(v) + 1e-9);
  const m = Number((v / 10 ** k).toPrecision(3));
  const pow = "10" + [...String(k)].map((c) => SUP[c] ?? c).join("");
  return m === 1 ? pow : `${m}×${pow}`;
}

/** Ticks on a log axis: 1-2-5 per decade, thinned to whole decades when there would be too many. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const k0 = Math.floor(Math.log10(lo));
  const k1 = Math.ceil(Math.log10(hi));
  for (const mant of k1 - k0 > 4 ? [1] : k1 - k0 > 2 ? [1, 3] : [1, 2, 5]) {
    for (let k = k0; k <= k1; k++) {
      const v = mant * 10 ** k;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  out.sort((a, b) => a - b);
  if (out.length < 2) {
    for (const mant of [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9]) {
      for (let k = k0; k <= k1; k++) {
        const v = mant * 10 ** k;
        if (v >= lo && v <= hi && !out.includes(v)) out.push(v);
      }
    }
    out.sort((a, b) => a - b);
  }
  return out;
}

function marker(shape: Shape, x: number, y: number, r: number, attrs: string): string {
  switch (shape) {
    case "circle":
      return `<circle cx="${n2(x)}" cy="${n2(y)}" r="${r}" ${attrs}/>`;
    case "square":
      return `<rect x="${n2(x - r)}" y="${n2(y - r)}" width="${2 * r}" height="${2 * r}" ${attrs}/>`;
    case "diamond":
      return `<path d="M${n2(x)},${n2(y - r * 1.3)}L${n2(x + r * 1.3)},${n2(y)}L${n2(x)},${n2(y + r * 1.3)}L${n2(x - r * 1.3)},${n2(y)}Z" ${attrs}/>`;
    case "triangle":
      return `<path d="M${n2(x)},${n2(y + r * 1.3)}L${n2(x + r * 1.3)},${n2(y - r)}L${n2(x - r * 1.3)},${n2(y - r)}Z" ${attrs}/>`;
  }
}

function refit(s: FittedSetting, level: number): PowerLawFit | null {
  const r = fitPowerLaw(
    s.points.map((p) => p.depth),
    s.points.map((p) => p.t),
    level,
  );
  return r.ok ? r.value : null;
}

/** Renders the analysis as a standalone SVG document. */
export function renderSvg(analysis: Analysis, opts: PlotOptions = {}): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 440;
  const fitted = analysis.settings.filter((s): s is FittedSetting => s.ok);
  const legendRows = analysis.settings.length;
  const M = { left: 78, right: 18, top: opts.title === undefined ? 16 : 40, bottom: 56 };
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;

  const fits = new Map<string, PowerLawFit>();
  for (const s of fitted) {
    const f = refit(s, analysis.level);
    if (f !== null) fits.set(s.setting, f);
  }

  // Extent over everything drawn: runs, censored marks, predictions and their intervals.
  const xs: number[] = [];
  const ys: number[] = [];
  for (const r of analysis.runs) {
    xs.push(r.depth);
    ys.push(r.t);
  }
  for (const c of analysis.censored) {
    xs.push(c.depth);
    if (c.lastX > 0) ys.push(c.lastX);
  }
  for (const s of fitted) {
    for (const p of s.points) {
      xs.push(p.depth);
      ys.push(p.t);
    }
    for (const p of s.predictions) {
      xs.push(p.depth);
      ys.push(p.t);
      if (p.prediction !== null) ys.push(p.prediction[0], p.prediction[1]);
    }
  }
  const pos = (v: number[]): number[] => v.filter((x) => x > 0 && Number.isFinite(x));
  const px = pos(xs);
  const py = pos(ys);
  let xLo = px.length > 0 ? Math.min(...px) : 1;
  let xHi = px.length > 0 ? Math.max(...px) : 10;
  let yLo = py.length > 0 ? Math.min(...py) : 1;
  let yHi = py.length > 0 ? Math.max(...py) : 10;
  const pad = (lo: number, hi: number, f: number): [number, number] => {
    if (hi <= lo) return [lo / 2, hi * 2];
    const span = Math.log(hi / lo);
    return [lo * Math.exp(-f * span), hi * Math.exp(f * span)];
  };
  [xLo, xHi] = pad(xLo, xHi, 0.06);
  // Extra headroom at the top for the legend, which sits in the upper-left corner.
  [yLo, yHi] = pad(yLo, yHi, 0.08);
  yHi = yHi * Math.pow(yHi / yLo, 0.08 * legendRows);

  const sx = (d: number): number => M.left + (pw * Math.log(d / xLo)) / Math.log(xHi / xLo);
  const sy = (t: number): number => M.top + ph - (ph * Math.log(t / yLo)) / Math.log(yHi / yLo);
  const inY = (t: number): number => Math.min(yHi, Math.max(yLo, t));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}" font-size="12">`,
  );
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  if (opts.title !== undefined)
    out.push(
      `<text x="${W / 2}" y="24" text-anchor="middle" font-size="14" font-weight="bold">${esc(opts.title)}</text>`,
    );
  out.push(
    `<defs><clipPath id="plot"><rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );

  // Grid and ticks. Depth ticks are the depths in the data when there are few, else log ticks.
  const depthSet = [...new Set(px)].sort((a, b) => a - b);
  const xTicks = depthSet.length > 0 && depthSet.length <= 10 ? depthSet : logTicks(xLo, xHi);
  const yTicks = logTicks(yLo, yHi);
  for (const t of xTicks) {
    const x = n2(sx(t));
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${M.top + ph}" stroke="#e6e6e6"/>`);
    out.push(`<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${M.top + ph + 18}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
  }
  for (const t of yTicks) {
    const y = n2(sy(t));
    out.push(`<line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#e6e6e6"/>`);
    out.push(`<line x1="${M.left - 5}" y1="${y}" x2="${M.left}" y2="${y}" stroke="#333"/>`);
    out.push(`<text x="${M.left - 8}" y="${y}" dy="0.35em" text-anchor="end">${esc(tickLabel(t))}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle" font-size="13">${esc(opts.xLabel ?? "depth D (log scale)")}</text>`,
  );
  const yLabel =
    opts.yLabel ??
    (Number.isFinite(analysis.threshold)
      ? `T: steps to reach accuracy ≥ ${analysis.threshold} (log scale)`
      : "T (log scale)");
  out.push(
    `<text transform="translate(18,${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(yLabel)}</text>`,
  );

  out.push(`<g clip-path="url(#plot)">`);
  analysis.settings.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] ?? "#000";
    const shape = SHAPES[i % SHAPES.length] ?? "circle";
    const f = s.ok ? fits.get(s.setting) : undefined;
    if (s.ok && f !== undefined) {
      const dataLo = Math.min(...s.depths);
      const dataHi = Math.max(...s.depths);
      const predHi = Math.max(dataHi, ...s.predictions.map((p) => p.depth));
      const predLo = Math.min(dataLo, ...s.predictions.map((p) => p.depth));
      const steps = 60;
      const grid = (lo: number, hi: number): number[] =>
        Array.from({ length: steps + 1 }, (_, k) => lo * Math.pow(hi / lo, k / steps));
      const band = grid(predLo, predHi).map((d) => predictT(f, d));
      if (band.every((p) => p.confidence !== null)) {
        const upper = band.map((p) => `${n2(sx(p.depth))},${n2(sy(inY(p.confidence?.[1] ?? p.t)))}`);
        const lower = band
          .map((p) => `${n2(sx(p.depth))},${n2(sy(inY(p.confidence?.[0] ?? p.t)))}`)
          .reverse();
        out.push(
          `<polygon points="${[...upper, ...lower].join(" ")}" fill="${color}" fill-opacity="0.15" stroke="none"/>`,
        );
      }
      const line = (lo: number, hi: number, dash: string): void => {
        if (hi <= lo) return;
        const pts = grid(lo, hi).map((d) => `${n2(sx(d))},${n2(sy(inY(predictT(f, d).t)))}`);
        out.push(
          `<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`,
        );
      };
      line(dataLo, dataHi, "");
      // Extrapolation beyond the fitted depths is dashed.
      line(dataHi, predHi, ` stroke-dasharray="6 4"`);
      line(predLo, dataLo, ` stroke-dasharray="6 4"`);
      if (analysis.aggregate === "geomean") {
        for (const r of analysis.runs.filter((r) => r.setting === s.setting))
          out.push(
            `<circle cx="${n2(sx(r.depth))}" cy="${n2(sy(r.t))}" r="2" fill="${color}" fill-opacity="0.35"/>`,
          );
      }
      for (const p of s.points)
        out.push(
          marker(shape, sx(p.depth), sy(p.t), 4, `fill="${color}" stroke="#ffffff" stroke-width="0.8"`),
        );
      for (const p of s.predictions) {
        if (p.prediction !== null) {
          const x = n2(sx(p.depth));
          out.push(
            `<line x1="${x}" y1="${n2(sy(inY(p.prediction[0])))}" x2="${x}" y2="${n2(sy(inY(p.prediction[1])))}" stroke="${color}" stroke-width="1.5"/>`,
          );
        }
        out.push(
          marker(shape, sx(p.depth), sy(p.t), 4.5, `fill="#ffffff" stroke="${color}" stroke-width="1.5"`),
        );
      }
    }
    for (const c of analysis.censored.filter((c) => c.setting === s.setting && c.lastX > 0)) {
      const x = sx(c.depth);
      const y = sy(c.lastX);
      out.push(
        `<path d="M${n2(x)},${n2(y - 6)}L${n2(x + 5)},${n2(y + 3)}L${n2(x - 5)},${n2(y + 3)}Z" fill="#ffffff" stroke="${color}" stroke-width="1.3"><title>${esc(`censored: seed ${c.seed} did not reach the threshold by ${c.lastX}`)}</title></path>`,
      );
    }
  });
  out.push(`</g>`);

  // Legend: one row per setting plus a key for open markers.
  const hasCensored = analysis.censored.length > 0;
  const hasPred = fitted.some((s) => s.predictions.length > 0);
  const labels = analysis.settings.map((s) => {
    if (!s.ok) return `${s.setting}: not fitted (${s.issues[0].code})`;
    const se = s.fit.seGamma === null ? "" : ` ± ${s.fit.seGamma.toFixed(2)}`;
    const r2 = s.fit.r2 === null ? "" : `, R² = ${s.fit.r2.toFixed(3)}`;
    return `${s.setting}: γ = ${s.fit.gamma.toFixed(2)}${se}${r2}`;
  });
  const extra: string[] = [];
  if (hasCensored) extra.push("△ never reached threshold (T above)");
  if (hasPred) extra.push("○ predicted T with 95 % prediction interval");
  extra.push("shaded: 95 % confidence band of the fit");
  const longest = Math.max(...labels.map((l) => l.length), ...extra.map((l) => l.length));
  const lw = Math.min(pw - 16, 34 + longest * 6.3);
  const lh = 10 + 17 * (labels.length + extra.length);
  const lx = M.left + 10;
  const ly = M.top + 10;
  out.push(
    `<rect x="${lx}" y="${ly}" width="${n2(lw)}" height="${lh}" fill="#ffffff" fill-opacity="0.9" stroke="#bbbbbb"/>`,
  );
  labels.forEach((label, i) => {
    const color = COLORS[i % COLORS.length] ?? "#000";
    const shape = SHAPES[i % SHAPES.length] ?? "circle";
    const y = ly + 14 + 17 * i;
    out.push(`<line x1="${lx + 6}" y1="${y}" x2="${lx + 26}" y2="${y}" stroke="${color}" stroke-width="2"/>`);
    out.push(marker(shape, lx + 16, y, 4, `fill="${color}" stroke="#ffffff" stroke-width="0.8"`));
    out.push(`<text x="${lx + 32}" y="${y}" dy="0.35em">${esc(label)}</text>`);
  });
  extra.forEach((label, i) => {
    const y = ly + 14 + 17 * (labels.length + i);
    out.push(`<text x="${lx + 8}" y="${y}" dy="0.35em" fill="#555555" font-size="11">${esc(label)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** Rasterises an SVG to PNG (2× scale by default) with the system's fonts. */
export async function renderPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    background: "#ffffff",
  });
  return r.render().asPng();
}
