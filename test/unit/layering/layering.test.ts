import { ESLint } from 'eslint';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floors, rooms, roomsMarkdown } from '../../../eslint.rooms.js';

// The rooms of eslint.rooms.js and the other layering rules of DESIGN.md live
// in eslint.config.js; these cases prove every room refuses an import its row
// does not allow, and accepts every arrow its row does.
const repo = process.cwd();
const eslint = new ESLint({ cwd: repo });

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

/** A file that stands in a room: inside its folder, or the room's own file ("main/node" is main/node.ts). */
function fileIn(room: string): string {
  return existsSync(room) && statSync(room).isDirectory() ? `${room}/layering-probe.ts` : `${room}.ts`;
}

function importOf(from: string, to: string): string {
  let spec = relative(dirname(from), to).replace(/\.ts$/, '.js');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  return `import * as probe from '${spec}';\nexport const f = probe;\n`;
}

const names = Object.keys(rooms);

describe('rooms lint', () => {
  it.each(names)('%s refuses a room its row does not allow', async (room) => {
    const allowed = new Set([room, ...rooms[room]!.may, ...floors]);
    const forbidden = names.find((other) => !allowed.has(other) && !other.startsWith(`${room}/`) && !room.startsWith(`${other}/`));
    expect(forbidden, `${room} may import every room: the table allows too much`).toBeDefined();
    const from = fileIn(room);
    const found = await messagesFor(from, importOf(from, fileIn(forbidden!)));
    expect(found.join('\n')).toMatch(new RegExp(`rooms/imports: ${room} may not import ${forbidden}`));
  });

  it.each(names)('%s accepts every room its row allows', async (room) => {
    const from = fileIn(room);
    for (const to of rooms[room]!.may) {
      expect(await messagesFor(from, importOf(from, fileIn(to))), `${room} -> ${to}`).toEqual([]);
    }
  });

  it('refuses a folder that is in no room', async () => {
    const found = await messagesFor('main/nowhere/x.ts', "import { createLogger } from '../log.js';\nexport const f = createLogger;\n");
    expect(found.join('\n')).toMatch(/main\/nowhere\/x\.ts is in no room/);
  });

  it('has a folder on disk for every room, and a room for every folder', () => {
    for (const room of names) expect(existsSync(room) || existsSync(`${room}.ts`), room).toBe(true);
    for (const top of ['main', 'shared', 'renderer']) {
      for (const entry of readdirSync(top)) {
        const path = `${top}/${entry}`;
        if (!statSync(path).isDirectory()) continue;
        expect(names.some((room) => room === path || room.startsWith(`${path}/`)), `${path} has no room`).toBe(true);
      }
    }
  });
});

describe('layering lint: Node, Electron and globals', () => {
  it.each([
    ['shared/dicom/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", /no Node module/],
    ['shared/dicom/x.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n", /no Node module/],
    ['renderer/viewer/x.ts', "import { join } from 'path';\nexport const f = join;\n", /no Node module/],
    ['renderer/app/x.ts', "import { join } from 'node:path';\nexport const f = join;\n", /no Node module/],
    ['main/dicom/x.ts', "import { app } from 'electron';\nexport const f = app;\n", /only main\/electron imports electron/],
    ['shared/x.ts', 'export const f = () => process.cwd();\n', /no-restricted-globals/],
    ['shared/x.ts', 'export const f = () => Buffer.alloc(1);\n', /no-restricted-globals/],
  ])('refuses the wrong import or global in %s', async (filePath, code, reason) => {
    expect((await messagesFor(filePath, code)).join('\n')).toMatch(reason);
  });

  it.each([
    ['main/dicom/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['main/electron/x.ts', "import { app } from 'electron';\nexport const f = app;\n"],
  ])('allows the right import in %s', async (filePath, code) => {
    expect(await messagesFor(filePath, code)).toEqual([]);
  });
});

describe('docs/architecture.md', () => {
  it('shows the rooms and arrows exactly as the lint enforces them', () => {
    const doc = readFileSync(join(repo, 'docs', 'architecture.md'), 'utf8');
    expect(doc, 'regenerate the table: node -e "import(\'./eslint.rooms.js\').then(m => console.log(m.roomsMarkdown()))"').toContain(roomsMarkdown());
  });
});
