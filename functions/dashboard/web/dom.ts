// Tiny DOM helpers: elements from tag, attributes and children, text always as text nodes.
type Child = Node | string | number | null | undefined | false;

export function h(
  tag: string,
  attributes: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false)
      element.append(typeof child === 'object' ? child : String(child));
  return element;
}

export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;

export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A status line for API errors, announced to screen readers. */
export function errorBox(): { element: HTMLElement; show: (text: string) => void; clear: () => void } {
  const element = h('p', { class: 'error', role: 'alert' });
  return {
    element,
    show: (text) => {
      element.textContent = text;
    },
    clear: () => {
      element.textContent = '';
    },
  };
}
