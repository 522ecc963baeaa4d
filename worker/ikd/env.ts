/**
 * The Worker's bindings for IKD code that the engine calls without an env (action hooks, session loading): the
 * pepper for PIN hashes, the office signing keys and the public origin of activation links.
 */
import { env } from 'cloudflare:workers';
import type { Env } from '../env';

/** The running Worker's env (workerd exposes it to every module since 2025). */
export function workerEnv(): Env {
  return env as unknown as Env;
}
