// `npm run db:migrate` / `npm run db:seed`: the local D1 steps of `npm start`, on their own.
import { ensureDevVars, migrate, seed } from './stack.mjs';

const step = process.argv[2];
if (step === 'migrate') {
  migrate();
  console.log('local D1: migrations applied');
} else if (step === 'seed') {
  await ensureDevVars();
  seed();
  console.log('local D1: demo data loaded (INSERT OR IGNORE: a rerun changes nothing)');
} else {
  console.error('usage: node scripts/db.mjs migrate|seed');
  process.exit(2);
}
