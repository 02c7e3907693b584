import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The global stylesheet first: component modules come after it in the bundle.
import './app/global.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
