/** Keeps a partner clerk's attachments moving: uploads due files on start, when the network returns, after each sync and on a timer. */
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { useSync } from '../../state/sync';
import { uploadDue } from './files';

export function BirthUploader() {
  const sync = useSync();
  const run = () => {
    if (sync.online()) void uploadDue();
  };
  // The connection is back: files that failed for lack of it go now, not after their backoff.
  const back = () => void uploadDue({ networkBack: true });
  onMount(() => {
    run();
    const timer = setInterval(run, 10_000);
    window.addEventListener('online', back);
    onCleanup(() => {
      clearInterval(timer);
      window.removeEventListener('online', back);
    });
  });
  // The outbox shrinking means a create reached the server: its files can go now.
  createEffect(on(() => sync.outbox().length, run, { defer: true }));
  return null;
}
