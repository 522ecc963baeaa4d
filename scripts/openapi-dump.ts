// Prints the OpenAPI document exactly as GET /api/openapi.json serves it, by importing the Worker's app in Node.
import { createApp } from '../worker/app';

const res = await createApp().request('http://localhost:8787/api/openapi.json', {}, {} as never);
if (!res.ok) throw new Error(`GET /api/openapi.json answered ${res.status}`);
process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
