import { App } from './app.js';
import { keepFocusInOverlays } from './dom.js';

const root = document.getElementById('app');
keepFocusInOverlays();
if (root) new App(root).start();
