/**
 * Imported first by each entry (main.tsx, sw.ts): zod's JIT compiles parsers with `new Function`, which the CSP
 * (schema/security-headers.ts, no 'unsafe-eval') refuses and reports as a violation. Interpreted parsing is enough.
 * Only zod's tiny config module is imported here (zod/v4/core's `config`, the same global every zod import reads),
 * so the first screen does not load zod itself; the screens that validate load it with their own code.
 */
import { config } from 'zod/v4/core';

config({ jitless: true });
