import { render } from 'preact';
import { openDatabase } from './db.js';
import { createController, SYNC_EVERY_MILLIS } from './controller.js';
import { App } from './views/App.jsx';
import './style.css';

const db = await openDatabase();
const controller = createController(db);
window.addEventListener('online', () => controller.setOnline(true));
window.addEventListener('offline', () => controller.setOnline(false));
setInterval(() => controller.sync(), SYNC_EVERY_MILLIS);
render(<App controller={controller} />, document.getElementById('app'));
await controller.start();

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error) => {
    console.warn('the app will not work offline: no service worker', error.message);
  });
}
