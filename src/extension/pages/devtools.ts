// DevTools opens this page for each inspected tab; it adds the "CORS" panel.

import { ext } from '../api.js';

ext.devtools?.panels.create('CORS', 'icons/32.png', 'panel.html');
