/**
 * The shape every benchmark in bench/ returns. Machines are noisy, so each figure is reported
 * beside a baseline measured in the same run, and the ratio is what the docs quote.
 */

/** One measured figure with its same-run baseline. */
export interface BenchFigure {
  /** What was measured, e.g. "kernel inference steps/s (depth 16)". */
  readonly name: string;
  /** The measured value. */
  readonly value: number;
  /** Unit of `value`, e.g. "steps/s", "proofs/s", "ms". */
  readonly unit: string;
  /** What the baseline is, e.g. "JSON.parse of the same bytes". */
  readonly baselineName?: string;
  /** The baseline value in the same unit, measured in the same run. */
  readonly baseline?: number;
  /** The bar from SPEC.md this figure is judged against, when there is one. */
  readonly bar?: string;
  /** Free-form extra numbers (latency quantiles, counts). */
  readonly extra?: Readonly<Record<string, number>>;
}

/** A benchmark module's result. */
export interface BenchReport {
  readonly suite: string;
  readonly figures: readonly BenchFigure[];
}

/** Options every suite accepts. */
export interface BenchOptions {
  /** Scale factor for iteration counts; 1 is the documented run, smaller is a smoke run. */
  readonly scale: number;
}

/**
 * The scale a suite run on its own was asked for: `--scale S`, or a bare number as the first
 * argument (older usage); 1 when absent or not a positive number.
 */
export function scaleFromArgs(argv: readonly string[]): number {
  const i = argv.indexOf("--scale");
  const text = i >= 0 ? argv[i + 1] : argv[2];
  const scale = Number(text ?? "1");
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** The value after `flag` in `argv` (`--ref DIR` gives "DIR"), or undefined when the flag is absent. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}
