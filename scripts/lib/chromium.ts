import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
/** Without a colour emoji font, emoji in the screenshots (picker, customer text) are empty boxes. */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

/**
 * The browser tests drive Debian's Chromium. When it (or the emoji font) is missing it is
 * installed with apt-get (never downloaded by a test tool); without root or apt-get, say
 * what to do. The font is a nicety: without it the tests still run.
 */
export function ensureChromium(log: (line: string) => void): void {
  const needBrowser = !existsSync(CHROMIUM);
  const needFont = !existsSync(EMOJI_FONT);
  if (!needBrowser && !needFont) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!root || !hasApt) {
    if (needBrowser) throw new Error(`The browser tests need Chromium at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium fonts-noto-color-emoji\`.`);
    log('No colour emoji font: emoji in screenshots show as boxes (sudo apt-get install -y fonts-noto-color-emoji).');
    return;
  }
  const packages = [...(needBrowser ? ['chromium'] : []), ...(needFont ? ['fonts-noto-color-emoji'] : [])];
  log(`Installing ${packages.join(' and ')} for the browser tests (apt-get, once) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status === 0) continue;
    if (needBrowser) throw new Error(`apt-get ${args.join(' ')} failed`);
    log(`apt-get ${args.join(' ')} failed: emoji in screenshots will show as boxes.`);
    return;
  }
}
