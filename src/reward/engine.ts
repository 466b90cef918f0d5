/**
 * The binding between reward scoring and the rest of the engine: the problem wire form, the proof
 * checker and the item generator. Scoring needs only these few calls, collected here so the
 * reward code and the worker depend on one small surface.
 */

/** One issue reported by the checker (its codes are reused as reward codes). */
export interface CheckIssue {
  readonly code: string;
  readonly line?: number;
  readonly message?: string;
}

/** What the checker says about one proof. */
export interface CheckOutcome {
  readonly ok: boolean;
  readonly reward: number;
  readonly steps: number;
  readonly lines: number;
  readonly height?: number;
  readonly issues?: readonly CheckIssue[];
}

/** The calls scoring needs from the rest of the engine; each may be missing in a partial build. */
export interface Engine {
  /** Wire form → opaque checkable problem, or issues. */
  readonly problemFromJson?: (input: unknown) => unknown;
  /** Precomputes per-problem indexes for repeated checks. */
  readonly prepare?: (problem: unknown) => unknown;
  /** Checks a proof against a (prepared) problem. */
  readonly check?: (problem: unknown, proof: string, options: { mode: string }) => unknown;
  /** Validates a generator config. */
  readonly validateConfig?: (input: unknown) => unknown;
  /** Hash of a validated config. */
  readonly configHash?: (config: unknown) => string;
  /** Regenerates item `index` of (config, seed). */
  readonly generateItem?: (config: unknown, seed: number, index: number) => unknown;
}

type Module = Record<string, unknown>;

async function load(rel: string): Promise<Module> {
  try {
    return (await import(new URL(rel, import.meta.url).href)) as Module;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND") return {};
    throw e;
  }
}

function fn<T>(m: Module, name: string): T | undefined {
  const f = m[name];
  return typeof f === "function" ? (f as T) : undefined;
}

const serialize = await load("../logic/serialize.js");
const checker = await load("../prover/check.js");
const generator = await load("../generator/index.js");
const genConfig = await load("../generator/config.js");

function defined<T extends object>(o: { [K in keyof T]-?: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** The engine as built in this tree. */
export const engine: Engine = defined<Engine>({
  problemFromJson: fn<Engine["problemFromJson"]>(serialize, "problemFromJson"),
  prepare: fn<Engine["prepare"]>(checker, "prepare"),
  check: fn<Engine["check"]>(checker, "check"),
  validateConfig: fn<Engine["validateConfig"]>(genConfig, "validateConfig"),
  configHash: fn<Engine["configHash"]>(genConfig, "configHash"),
  generateItem: fn<Engine["generateItem"]>(generator, "generateItem"),
});
