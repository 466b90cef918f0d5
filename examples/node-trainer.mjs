// Scoring from a Node trainer, two ways: in-process with the library (no server), or over HTTP
// with the native batch endpoint. Run after `npm run build`:
//   node examples/node-trainer.mjs                 (library only)
//   SCALELOGIC_URL=http://127.0.0.1:8000 node examples/node-trainer.mjs   (also HTTP)
/* global fetch */
import { score } from "../dist/src/reward/score.js";
import { ScorePool } from "../dist/src/service/pool.js";

const answerOnly = { completion: "Reasoning... <answer> Alice is abcde </answer>", answer: "Alice is abcde" };

// 1. One call, synchronous, in this thread.
console.log("library:", score(answerOnly));

// 2. Many calls on worker threads (same results, batched, with the wall-clock backstop).
const pool = new ScorePool({ threads: 2 });
const results = await pool.scoreBatch([
  answerOnly,
  { ...answerOnly, completion: "<answer> Bob is x </answer>" },
]);
console.log(
  "pool:",
  results.map((r) => [r.reward, r.code]),
);
await pool.close();

// 3. Over HTTP, when a service is running.
const url = process.env.SCALELOGIC_URL;
if (url !== undefined) {
  const headers = { "content-type": "application/json" };
  if (process.env.SCALELOGIC_TOKEN) headers.authorization = `Bearer ${process.env.SCALELOGIC_TOKEN}`;
  const res = await fetch(`${url}/v1/score`, {
    method: "POST",
    headers,
    body: JSON.stringify({ items: [answerOnly] }),
  });
  console.log("http:", await res.json());
}
