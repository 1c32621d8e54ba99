// Chart colours come from the stylesheet (--chart-1…--chart-6, --border, --text-muted) so
// light and dark stay in one place; SVG attributes cannot read CSS variables on every
// browser, so they are resolved here and re-read when the theme changes.
import { useEffect, useState } from 'react';

export interface ChartPalette {
  series: string[];
  grid: string;
  axis: string;
  surface: string;
  text: string;
}

function read(): ChartPalette {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: [1, 2, 3, 4, 5, 6, 7].map((i) => v(`--chart-${i}`, '#1f5fbf')),
    grid: v('--border', '#d3d9e1'),
    axis: v('--text-muted', '#56606d'),
    surface: v('--surface', '#ffffff'),
    text: v('--text', '#17202b'),
  };
}

export function useChartPalette(): ChartPalette {
  const [palette, setPalette] = useState(read);
  useEffect(() => {
    const update = () => setPalette(read());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener('change', update);
    return () => {
      observer.disconnect();
      mq?.removeEventListener('change', update);
    };
  }, []);
  return palette;
}
