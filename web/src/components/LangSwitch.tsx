/** Switches between Bahasa Indonesia and English; the choice is remembered on this device. */
import { lang, setLang, t } from '../i18n';

export function LangSwitch() {
  return (
    <button
      class="btn btn-quiet"
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      onClick={() => setLang(lang() === 'id' ? 'en' : 'id')}
    >
      {t('lang.other')}
    </button>
  );
}
