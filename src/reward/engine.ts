/**
 * The binding between reward scoring and the item generator. The wire form and the checker are
 * imported directly by score.ts; regeneration goes through here so the reward code keeps working
 * (with code `unavailable` for id-based requests) in a build without the generator.
 */

/** Regenerates item `index` of (config, seed); the config is already validated. */
export type GenerateItem = (config: unknown, seed: number, index: number) => unknown;

async function loadGenerateItem(): Promise<GenerateItem | undefined> {
  try {
    const mod = (await import(new URL("../generator/index.js", import.meta.url).href)) as Record<
      string,
      unknown
    >;
    const f = mod["generateItem"];
    return typeof f === "function" ? (f as GenerateItem) : undefined;
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw e;
  }
}

/** The generator's `generateItem`, when this build has one. */
export const generateItem: GenerateItem | undefined = await loadGenerateItem();
