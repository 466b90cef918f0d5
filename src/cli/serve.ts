/** `scalelogic serve`: start the reward service (argument handling only; see src/service). */
import type { Argv } from "yargs";
import { registerCurriculumRoutes } from "../service/curriculum.js";
import { createService } from "../service/server.js";

/** Adds the `serve` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "serve",
    "start the reward service (HTTP, worker pool)",
    (a) =>
      a
        .option("host", { type: "string", default: "127.0.0.1", describe: "interface to bind" })
        .option("port", { type: "number", default: 8000, describe: "port (0 = any free port)" })
        .option("token", {
          type: "string",
          describe: "bearer token required on every route but /health (default: env SCALELOGIC_TOKEN)",
        })
        .option("threads", { type: "number", describe: "worker threads (default: cores)" })
        .option("max-body-bytes", {
          type: "number",
          default: 64 * 1024 * 1024,
          describe: "largest request body",
        })
        .option("max-completion-bytes", {
          type: "number",
          default: 1024 * 1024,
          describe: "larger completions score 0 with size-limit",
        })
        .option("max-items", { type: "number", default: 4096, describe: "most items per request" })
        .option("backstop-ms", {
          type: "number",
          default: 10_000,
          describe: "wall-clock limit per worker task",
        })
        .option("curriculum-state", {
          type: "string",
          describe:
            "file that persists the curriculum controller's state (atomic writes; a restart resumes). " +
            "Default: env SCALELOGIC_CURRICULUM_STATE, else the client carries the state",
        }),
    async (args) => {
      const envToken = process.env.SCALELOGIC_TOKEN;
      const token = args.token ?? (envToken !== undefined && envToken.length > 0 ? envToken : undefined);
      const service = createService({
        host: args.host,
        port: args.port,
        ...(token === undefined ? {} : { token }),
        maxBodyBytes: args["max-body-bytes"],
        maxCompletionBytes: args["max-completion-bytes"],
        maxItems: args["max-items"],
        pool: {
          ...(args.threads === undefined ? {} : { threads: args.threads }),
          backstopMs: args["backstop-ms"],
        },
        // Curriculum routes (/v1/curriculum/*); a state file, when named, survives restarts.
        plugins: [
          (app) => {
            const stateFile = args["curriculum-state"];
            registerCurriculumRoutes(app, stateFile === undefined ? {} : { stateFile });
          },
        ],
      });
      const addr = await service.listen();
      process.stderr.write(
        `scalelogic serve: listening on ${addr.url} (${service.pool.options.threads} threads, ` +
          `auth ${token === undefined ? "off" : "on"})\n`,
      );
      if (
        token === undefined &&
        addr.host !== "127.0.0.1" &&
        addr.host !== "::1" &&
        addr.host !== "localhost"
      ) {
        process.stderr.write("scalelogic serve: warning: bound beyond loopback without a token\n");
      }
      let stopping = false;
      const stop = (sig: string): void => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`scalelogic serve: ${sig}, finishing in-flight requests\n`);
        service.close().then(
          () => {
            process.stderr.write("scalelogic serve: stopped\n");
            process.exit(0);
          },
          (e: unknown) => {
            process.stderr.write(`scalelogic serve: shutdown failed: ${String(e)}\n`);
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.on("SIGINT", () => stop("SIGINT"));
    },
  );
}
