/** Entry point: mounts the app and sets the document language from the saved choice. */
import './zod-config';
import { render } from 'solid-js/web';
import { App } from './App';
import { lang, loadLang } from './i18n';
import './styles.css';

document.documentElement.lang = lang();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
// Indonesian ships with the first screen; a saved choice of English loads its dictionary first.
void loadLang(lang()).finally(() => render(() => <App />, root));
