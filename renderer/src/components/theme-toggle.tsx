// Switches between the system theme, light and dark; one button that cycles, labelled with
// what it is now so the choice is audible as well as visible.
import { useTheme, type ThemeChoice } from '../hooks/use-theme';

const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const icon: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };
const words: Record<ThemeChoice, string> = {
  system: 'System theme',
  light: 'Light theme',
  dark: 'Dark theme',
};

export function ThemeToggle() {
  const { choice, setChoice } = useTheme();
  return (
    <button
      type="button"
      className="btn btn-ghost btn-icon"
      onClick={() => setChoice(next[choice])}
      aria-label={`${words[choice]}. Switch to ${words[next[choice]].toLowerCase()}`}
      title={`${words[choice]} (click for ${words[next[choice]].toLowerCase()})`}
    >
      <span aria-hidden="true">{icon[choice]}</span>
    </button>
  );
}
