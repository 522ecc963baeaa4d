/** Keeps a handler's answer files moving: uploads due files on start, when the network returns and on a timer, then sends answers whose files are in. */
import { onCleanup, onMount } from 'solid-js';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { sendReadyAnswers, uploadDueAnswerFiles } from './answer-files';

export function AduanAnswerUploader() {
  const sync = useSync();
  const session = useSession();
  const run = (networkBack = false) => {
    const userId = session.user()?.id;
    if (!userId || (!networkBack && !sync.online())) return;
    void uploadDueAnswerFiles({ userId, networkBack }).then(() => sendReadyAnswers(userId));
  };
  // The connection is back: files that failed for lack of it go now, not after their backoff.
  const back = () => run(true);
  onMount(() => {
    run();
    const timer = setInterval(() => run(), 10_000);
    window.addEventListener('online', back);
    onCleanup(() => {
      clearInterval(timer);
      window.removeEventListener('online', back);
    });
  });
  return null;
}
