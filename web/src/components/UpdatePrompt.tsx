/** The "new version" prompt (registerType 'prompt'): the app never reloads under a user's hands. */
import { Show, createSignal, onCleanup } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';
import { t } from '../i18n';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    onRegisterError: (err) => console.error('service worker registration failed', err),
  });
  /**
   * Hands over to the waiting version and reloads once it controls the page. The plugin reloads by itself only
   * when a worker already controlled the page at start; after a first visit the new worker counts as "external"
   * and the page would stay on the old version with the prompt still up.
   */
  async function applyUpdate(): Promise<void> {
    const reg = await navigator.serviceWorker?.getRegistration();
    if (!reg?.waiting) {
      window.location.reload(); // another tab already switched versions
      return;
    }
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    await updateServiceWorker(true);
  }
  // The "ready offline" note is informative only: hide it after a while.
  const [shown, setShown] = createSignal(true);
  const timer = setTimeout(() => setShown(false), 8_000);
  onCleanup(() => clearTimeout(timer));

  return (
    <>
      <Show when={needRefresh()}>
        <div class="banner banner-update" role="alert" data-testid="update-prompt">
          <span>{t('update.available')}</span>
          <button class="btn btn-primary" onClick={() => void applyUpdate()}>{t('update.reload')}</button>
          <button class="btn" onClick={() => setNeedRefresh(false)}>{t('update.later')}</button>
        </div>
      </Show>
      <Show when={offlineReady() && shown()}>
        <div class="banner banner-info" role="status" data-testid="offline-ready">
          <span>{t('update.offlineReady')}</span>
          <button class="btn" onClick={() => setOfflineReady(false)} aria-label="OK">OK</button>
        </div>
      </Show>
    </>
  );
}
