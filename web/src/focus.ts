/**
 * Moves keyboard focus to new content after a step (WCAG 2.4.3 focus order): a screen's heading after navigating,
 * the first wrong field after a refused submit. Without it focus stays on a removed button and falls to <body>.
 */

/** Focuses `el` without making it a tab stop of its own (headings get tabindex=-1). */
function focusElement(el: HTMLElement): void {
  if (!el.matches('a[href], button, input, select, textarea, [tabindex]')) el.setAttribute('tabindex', '-1');
  el.focus();
}

/**
 * Focuses the main heading once it is rendered (lazy screens load after the route changed), skipping the one that
 * was there before the step when it is replaced. Gives up quietly after `timeoutMs`.
 */
export function focusHeading(timeoutMs = 3000): void {
  const before = document.querySelector<HTMLElement>('main h1');
  const focusedBefore = document.activeElement;
  const started = performance.now();
  const look = () => {
    // The user already went on (typed, tabbed, clicked): never pull focus away from where they are.
    const now = document.activeElement;
    if (now !== focusedBefore && now !== document.body && now !== null && !now.matches('main h1')) return;
    const h1 = document.querySelector<HTMLElement>('main h1');
    const settled = performance.now() - started > 300;
    if (h1 && (h1 !== before || settled)) return focusElement(h1);
    if (performance.now() - started < timeoutMs) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

/** After a refused submit: the first field marked aria-invalid in `form`, else its first alert. */
export function focusFirstProblem(form: HTMLElement | null | undefined): void {
  if (!form) return;
  queueMicrotask(() => {
    const target = form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>('[role="alert"]');
    if (target) focusElement(target);
  });
}

/** Focuses the first element matching `selector` once it is rendered (a verdict, a result that replaces a button). */
export function focusWhenShown(selector: string, timeoutMs = 3000): void {
  const started = performance.now();
  const look = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el) return focusElement(el);
    if (performance.now() - started < timeoutMs) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}
