/**
 * The worker thread of a sweep: runs the runs it is sent, one at a time.
 *
 * @since 0.1.0
 */
import { parentPort } from "node:worker_threads"
import { runOne, type SweepRun } from "./sweep.js"

parentPort?.on("message", (message: { readonly run: SweepRun; readonly engine: "fast" | "faithful" }) => {
  void runOne(message.run, message.engine).then((row) => parentPort?.postMessage(row))
})
