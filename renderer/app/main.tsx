/** Entry point: mounts the reading room. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { loadViewerSettings } from './lib/viewer-settings.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const mount = root;
// The reader's presets and keys first: every shortcut and menu reads them (one small request on loopback).
void loadViewerSettings().then(() =>
  createRoot(mount).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
