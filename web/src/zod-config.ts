/**
 * Imported first by each entry (main.tsx, sw.ts): zod's JIT compiles parsers with `new Function`, which the CSP
 * (schema/security-headers.ts, no 'unsafe-eval') refuses and reports as a violation. Interpreted parsing is enough.
 */
import { z } from 'zod';

z.config({ jitless: true });
