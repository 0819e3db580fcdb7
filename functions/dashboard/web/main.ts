// The dashboard's entry: hash routes (#/, #/jobs/<id>, #/compare?jobs=a,b, #/benchmarks/<id>), and
// the key form when the API answers 401.
import { ApiCallError, ok } from '../../client/client.ts';
import { api, currentKey, setKey } from './api.ts';
import { benchmarkPage } from './benchmark.ts';
import { comparePage } from './compare.ts';
import { h } from './dom.ts';
import { jobPage } from './job.ts';
import { runsPage } from './runs.ts';

const root = document.getElementById('app') as HTMLElement;
let leave: (() => void) | undefined;

function keyForm(message: string): void {
  const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off' }) as HTMLInputElement;
  root.replaceChildren(
    h('h1', {}, 'API key'),
    h('p', { role: 'alert' }, message),
    h(
      'form',
      {
        onsubmit: (event) => {
          event.preventDefault();
          setKey(input.value);
          void route();
        },
      },
      h('label', { for: 'api-key' }, 'Key '),
      input,
      ' ',
      h('button', { type: 'submit' }, 'Use key'),
    ),
  );
}

async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  try {
    await ok(api().GET('/v1/jobs', { params: { query: { limit: 1 } } }));
  } catch (error) {
    if (error instanceof ApiCallError && error.status === 401)
      return keyForm(currentKey() === undefined ? 'This server needs an API key.' : 'That key was refused.');
  }
  const [path = '', search = ''] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const job = /^\/jobs\/([\w-]+)$/.exec(path);
  const benchmark = /^\/benchmarks\/([\w-]+)$/.exec(path);
  if (job?.[1] !== undefined) leave = jobPage(root, job[1]);
  else if (benchmark?.[1] !== undefined) benchmarkPage(root, benchmark[1]);
  else if (path === '/compare') comparePage(root, query);
  else leave = runsPage(root, query);
}

window.addEventListener('hashchange', () => void route());
document.getElementById('forget-key')?.addEventListener('click', () => {
  setKey(undefined);
  void route();
});
void route();
