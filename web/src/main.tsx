/** Entry point: mounts the app and sets the document language from the saved choice. */
import './zod-config';
import { render } from 'solid-js/web';
import { App } from './App';
import { lang } from './i18n';
import './styles.css';

document.documentElement.lang = lang();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
render(() => <App />, root);
