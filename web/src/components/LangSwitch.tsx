/** Switches between Bahasa Indonesia and English; the choice is remembered on this device. */
import { lang, setLang, t } from '../i18n';

export function LangSwitch() {
  return (
    <button
      class="btn btn-quiet"
      data-testid="lang-switch"
      // The visible language name is the button's name (WCAG 2.5.3), spoken in its own language (3.1.2).
      lang={lang() === 'id' ? 'en' : 'id'}
      title={t('lang.label')}
      onClick={() => void setLang(lang() === 'id' ? 'en' : 'id')}
    >
      {t('lang.other')}
    </button>
  );
}
