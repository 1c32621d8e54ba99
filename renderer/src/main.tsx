// Entry point of the agent app: applies the saved theme before the first paint, then mounts.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { applyTheme, savedThemeChoice } from './hooks/use-theme';
import './styles.css';

applyTheme(savedThemeChoice());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
