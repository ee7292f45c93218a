// The rooms of the code base and the arrows between them: for every folder
// under main/, renderer/ and shared/, the rooms it may import (its own is
// always allowed). eslint.config.js enforces the table through the rule
// below; docs/architecture.md shows it (a test keeps the two equal).
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

/** Rooms so basic that every room may import them (small helpers with no imports of their own). */
export const floors = ['shared/bytes', 'shared/error-message'];

/** Room -> what it does, and the rooms it may import. */
export const rooms = {
  'shared/bytes': { what: 'byte arrays: concatenation', may: [] },
  'shared/error-message': { what: 'the message of anything thrown', may: [] },
  'shared/config': { what: 'configuration types (the schema is in resources/)', may: [] },
  'shared/dicom': { what: 'DICOM codec: dictionary, UIDs, charsets, streaming parser, writer, DICOM JSON', may: [] },
  'shared/query': { what: 'C-FIND / QIDO matching: keys, wildcards, levels', may: ['shared/dicom'] },
  'shared/volume': { what: 'slice geometry, orientation labels, volume budget', may: ['shared/dicom'] },
  'shared/hanging-protocols': { what: 'the hanging-protocol engine: types, validation, scoring, stages', may: ['shared/dicom'] },
  'shared/routing': { what: 'routing rules: types, validation, matching', may: ['shared/dicom', 'shared/query'] },
  'shared/api': { what: 'the app API and DICOMweb contracts: requests, responses, routes, paths', may: ['shared/config', 'shared/dicom', 'shared/hanging-protocols', 'shared/routing'] },
  'shared/host': { what: 'HostBridge (native needs) and app routes', may: ['shared/api'] },

  'main/log': { what: 'structured logger', may: [] },
  'main/paths': { what: 'per-user and machine-wide folders', may: [] },
  'main/version': { what: 'the version', may: ['main/paths'] },
  'main/config': { what: 'layered configuration with its schema', may: ['main/paths', 'shared/config'] },
  'main/bootstrap': { what: 'what the CLI and the Electron shell share before a node runs: serve flags, setup (configuration, data folder, logger), CSP', may: ['main/config', 'main/log', 'main/paths', 'main/store', 'shared/config'] },
  'main/index': { what: 'SQLite: schema, migrations, queries', may: ['shared/api', 'shared/config', 'shared/dicom', 'shared/query', 'shared/routing'] },
  'main/store': { what: 'the archive: write door, read door, lock, recovery, the send queue\'s tables', may: ['main/index', 'main/log', 'shared/api', 'shared/config', 'shared/dicom', 'shared/query', 'shared/routing'] },
  'main/codec': { what: 'decoding, transcoding, rendering (worker pool)', may: ['main/log', 'shared/dicom'] },
  'main/dicom': { what: 'PS3.8 upper layer and DIMSE: SCP and SCU', may: ['main/codec', 'main/log', 'main/store', 'shared/config', 'shared/dicom', 'shared/query'] },
  'main/events': { what: 'node events (study arrived, job progress)', may: ['shared/api'] },
  'main/import': { what: 'import of files, folders, DICOMDIR, zip through the write door', may: ['main/log', 'main/store', 'shared/api', 'shared/dicom'] },
  'main/jobs': { what: 'the job registry and the import job', may: ['main/import', 'main/store', 'shared/api'] },
  'main/remote': { what: 'Q/R sources: search, retrieve, send', may: ['main/dicom', 'main/jobs', 'main/log', 'main/store', 'shared/api', 'shared/config', 'shared/dicom', 'shared/query'] },
  'main/routing': {
    what: 'routing rules, the durable send queue, delivery (C-STORE, STOW-RS), storage commitment, de-identification',
    may: ['main/codec', 'main/dicom', 'main/events', 'main/jobs', 'main/log', 'main/paths', 'main/store', 'shared/api', 'shared/config', 'shared/dicom', 'shared/query', 'shared/routing'],
  },
  'main/protocols': { what: 'hanging-protocol folders, loading, watching, saving', may: ['main/log', 'main/paths', 'main/store', 'shared/api', 'shared/config', 'shared/dicom', 'shared/hanging-protocols'] },
  'main/web': {
    what: 'HTTP: DICOMweb, app API, static UI, auth',
    may: ['main/bootstrap', 'main/codec', 'main/dicom', 'main/events', 'main/jobs', 'main/log', 'main/paths', 'main/protocols', 'main/remote', 'main/routing', 'main/store', 'shared/api', 'shared/config', 'shared/dicom', 'shared/host', 'shared/query', 'shared/routing'],
  },
  'main/node': {
    what: 'composition root: builders of the archive node',
    may: ['main/codec', 'main/config', 'main/dicom', 'main/events', 'main/import', 'main/jobs', 'main/log', 'main/paths', 'main/protocols', 'main/remote', 'main/routing', 'main/store', 'main/version', 'main/web', 'shared/api', 'shared/config', 'shared/dicom', 'shared/routing'],
  },
  'main/cli': {
    what: 'the viewbox command, one file per subcommand',
    may: ['main/bootstrap', 'main/config', 'main/dicom', 'main/import', 'main/jobs', 'main/log', 'main/node', 'main/paths', 'main/protocols', 'main/remote', 'main/routing', 'main/store', 'main/version', 'shared/api', 'shared/config', 'shared/dicom', 'shared/hanging-protocols', 'shared/query', 'shared/routing'],
  },
  'main/electron': { what: 'the Electron shell: lifecycle, windows per display, preload, menus', may: ['main/bootstrap', 'main/config', 'main/log', 'main/node', 'main/paths', 'main/store', 'main/version', 'shared/api', 'shared/config', 'shared/host'] },

  'renderer/host': { what: 'HostBridge in the browser or Electron preload', may: ['shared/api', 'shared/host'] },
  'renderer/app/lib': { what: 'the floor: API client, formatting, shortcuts, server events', may: ['shared/api', 'shared/dicom', 'shared/host'] },
  'renderer/imaging': { what: 'the Cornerstone kit: setup, resize, VOI presets, markers, drop targets', may: ['renderer/app/lib', 'shared/api', 'shared/dicom', 'shared/volume'] },
  'renderer/worklist': { what: 'the study list', may: ['renderer/app/lib', 'renderer/imaging', 'shared/api', 'shared/dicom', 'shared/query'] },
  'renderer/viewer': { what: 'the study session, viewport grid, tools, slots', may: ['renderer/app/lib', 'renderer/host', 'renderer/imaging', 'shared/api', 'shared/dicom', 'shared/hanging-protocols', 'shared/host', 'shared/volume'] },
  'renderer/protocols': { what: 'hanging in the reading room, the protocol editor', may: ['renderer/app/lib', 'renderer/host', 'renderer/imaging', 'shared/api', 'shared/dicom', 'shared/hanging-protocols', 'shared/host'] },
  'renderer/mpr': { what: 'MPR and 3D', may: ['renderer/app/lib', 'renderer/imaging', 'shared/api', 'shared/dicom', 'shared/volume'] },
  'renderer/queue': { what: 'the send-queue panel', may: ['renderer/app/lib', 'shared/api', 'shared/routing'] },
  'renderer/app': {
    what: 'the shell: routes, reading room, menus; registers the feature panels',
    may: ['renderer/app/lib', 'renderer/host', 'renderer/imaging', 'renderer/mpr', 'renderer/protocols', 'renderer/queue', 'renderer/viewer', 'renderer/worklist', 'shared/api', 'shared/dicom', 'shared/host'],
  },
};

const roomNames = Object.keys(rooms).sort((a, b) => b.length - a.length);

/** The room of a path relative to the repository ("main/dicom/x.ts" -> "main/dicom", "main/node.ts" -> "main/node"). */
export function roomOf(path) {
  const clean = path.split('\\').join('/').replace(/\.(d\.ts|ts|tsx|cts|mts|js|cjs|mjs)$/, '');
  return roomNames.find((room) => clean === room || clean.startsWith(`${room}/`));
}

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function isBuiltin(source) {
  return source.startsWith('node:') || nodeBuiltins.has(source) || nodeBuiltins.has(source.split('/')[0]);
}

const roomsRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'each room imports only the rooms its row of eslint.rooms.js allows' } },
  create(context) {
    const repo = context.cwd;
    const file = relative(repo, context.filename).split('\\').join('/');
    const top = file.split('/')[0];
    if (!['main', 'renderer', 'shared'].includes(top)) return {};
    const room = roomOf(file);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!room) {
        context.report({ node, message: `${file} is in no room of eslint.rooms.js: add its folder there (and to docs/architecture.md)` });
        return;
      }
      if (source.startsWith('.')) {
        const target = relative(repo, resolve(dirname(context.filename), source)).split('\\').join('/');
        const to = roomOf(target);
        if (to === room) return;
        if (!to) {
          const outside = target.startsWith('main/') || target.startsWith('renderer/') || target.startsWith('shared/');
          if (outside) context.report({ node, message: `${room} imports ${target}, which is in no room of eslint.rooms.js` });
          else context.report({ node, message: `${room} may not import ${target}: outside main/, renderer/ and shared/` });
          return;
        }
        if (!rooms[room].may.includes(to) && !floors.includes(to)) {
          context.report({ node, message: `${room} may not import ${to} (${room} may import: ${rooms[room].may.join(', ') || 'nothing'}); see docs/architecture.md` });
        }
        return;
      }
      if (top !== 'main' && isBuiltin(source)) {
        context.report({ node, message: `${room} runs in the browser too: no Node module ("${source}")` });
      }
      if (source === 'electron' && room !== 'main/electron') {
        context.report({ node, message: `only main/electron imports electron (elsewhere the import tries to download it)` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export const roomsPlugin = { rules: { imports: roomsRule } };

/** The table of rooms and arrows as docs/architecture.md shows it. */
export function roomsMarkdown() {
  const lines = [`Every room may import ${floors.map((f) => `\`${f}\``).join(', ')}.`, '', '| room | what it holds | may import |', '|---|---|---|'];
  for (const [room, { what, may }] of Object.entries(rooms)) {
    lines.push(`| \`${room}\` | ${what} | ${may.length ? may.map((m) => `\`${m}\``).join(', ') : '(nothing)'} |`);
  }
  return lines.join('\n');
}
