/**
 * TPTP export: one file holding every item's problem in turn, each block headed by a comment line
 * `% scalelogic item <id>` so it can be split into one `.p` file per item (see docs/datasets.md).
 * The problem text itself comes from the logic layer's TPTP printer, passed in as `render`.
 */
import type { AtomicFile, DatasetItem, ItemWriter } from "./writer.js";

/** Turns one item into its TPTP problem text (axioms and the goal as conjecture). */
export type TptpRender = (item: DatasetItem) => string;

/** The header line that opens each item's block; the splitter in the docs keys on it. */
export function tptpHeader(item: DatasetItem): string {
  return `% scalelogic item ${item.id} level=${item.level} depth=${item.depth} task=${item.task} split=${item.split}`;
}

/** TPTP writer: the items' problems concatenated, one headed block per item. */
export function tptpWriter(file: AtomicFile, render: TptpRender): ItemWriter {
  return {
    write(item) {
      const body = render(item);
      return file.write(`${tptpHeader(item)}\n${body.endsWith("\n") ? body : body + "\n"}\n`);
    },
    async finish() {
      // Blocks are self-contained; there is no trailer.
    },
  };
}
