/** `viewbox remote echo|find|retrieve NODE ...`: talk to a configured PACS. */
import { apiPaths, type RetrieveRequest } from '../../shared/api/app-api.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import { dictionaryVr } from '../../shared/dicom/data-dictionary.js';
import { QUERY_LEVELS, type QueryLevel } from '../../shared/query/query-levels.js';
import { attributeKey, QIDO_DEFAULTS, QidoParameterError } from '../../shared/query/qido.js';
import { setup } from '../bootstrap/setup.js';
import { findNode, peerOf } from '../remote/remote-operations.js';
import { echo } from '../dicom/scu/echo.js';
import { find } from '../dicom/scu/find.js';
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';
import { writeThroughOwner } from './folder-access.js';
import { runJob, withRemote } from './job-runner.js';
import { personName } from './person-name.js';
import { formatTable } from './table.js';

export const remoteUsage = `Usage:
  viewbox remote echo NODE
  viewbox remote find NODE [--level PATIENT|STUDY|SERIES|IMAGE] [--json] [KEY=VALUE ...]
  viewbox remote retrieve NODE STUDY_UID [--series UID] [--via move|get] [--data DIR]

NODE is the name (or AE title) of a node in the configuration's "nodes".

echo       C-ECHO; prints the round trip time.
find       C-FIND (Study Root; Patient Root for --level PATIENT). KEY is a DICOM
           keyword or tag (PatientName=DOE*, 00100020=PID1, StudyDate=20240101-);
           the matching rules are those of docs/query.md. Default level STUDY.
retrieve   brings a study (or one series) into the local archive, through
           the same durable path as any received instance. --via move (the
           default) asks the node to C-MOVE to our AE title, so the node must
           know our AE, host and port, and this command listens on the
           configured DICOM port while it runs; --via get needs no listener.

Options:
  --config FILE   configuration file (nodes, our AE title)
  --data DIR      data folder (retrieve)
  --json          find: print the answers as DICOM JSON
  -h, --help      this help
`;

export async function remoteCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...dataOption, ...configOption, ...jsonOption, ...helpOption, level: { type: 'string' }, series: { type: 'string' }, via: { type: 'string' } },
    remoteUsage,
    true,
  );
  if (values.help) {
    io.out(remoteUsage);
    return EXIT_OK;
  }
  const [action, nodeName, ...rest] = positionals;
  if (!action || !nodeName) throw new UsageError('say what to do and with which node', remoteUsage);
  const s = setup(values);
  const node = findNode(s.config.nodes, nodeName);
  switch (action) {
    case 'echo': {
      const ms = await echo(peerOf(s.config, node, s.logger));
      io.out(`${node.name} (${node.aet} at ${node.host}:${node.port}) answered C-ECHO in ${ms.toFixed(1)} ms\n`);
      return EXIT_OK;
    }
    case 'find': {
      const level = (values.level ?? 'STUDY').toUpperCase() as QueryLevel;
      if (!QUERY_LEVELS.includes(level)) throw new UsageError(`--level must be one of ${QUERY_LEVELS.join(', ')}`, remoteUsage);
      const answers = await find(peerOf(s.config, node, s.logger), { model: level === 'PATIENT' ? 'patient' : 'study', level, keys: findKeys(level, rest) });
      io.out(values.json ? `${JSON.stringify(answers, null, 2)}\n` : findTable(level, answers));
      return EXIT_OK;
    }
    case 'retrieve': {
      const [studyUid] = rest;
      if (!studyUid) throw new UsageError('retrieve needs a Study Instance UID', remoteUsage);
      const via = values.via ?? 'move';
      if (via !== 'move' && via !== 'get') throw new UsageError('--via must be move or get', remoteUsage);
      const request: RetrieveRequest = { node: node.name, studyUid, via, ...(values.series ? { seriesUid: values.series } : {}) };
      return writeThroughOwner(s.dataDir, {
        // The running node receives the C-MOVE on its own DICOM port.
        viaNode: async (client) => runJob(await client.startJob(apiPaths.retrieve, request), io),
        asOwner: () => withRemote(s, { listen: via === 'move' }, (remote) => runJob(remote.retrieve(node.name, studyUid, { seriesUid: values.series, via }), io)),
      });
    }
    default:
      throw new UsageError(`unknown action "${action}"`, remoteUsage);
  }
}

/** KEY=VALUE arguments, plus the level's usual return keys, as a C-FIND identifier. */
export function findKeys(level: QueryLevel, args: string[]): DicomJsonDataset {
  const keys: DicomJsonDataset = {};
  const vrOf = (tag: string) => dictionaryVr(parseInt(tag, 16)) ?? 'UN';
  for (const tag of level === 'PATIENT' ? PATIENT_KEYS : QIDO_DEFAULTS[level]) keys[tag] = { vr: vrOf(tag) };
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at <= 0) throw new UsageError(`"${arg}" is not KEY=VALUE`, remoteUsage);
    let tag: string;
    try {
      tag = attributeKey(arg.slice(0, at));
    } catch (error) {
      if (error instanceof QidoParameterError) throw new UsageError(error.message, remoteUsage);
      throw error;
    }
    const vr = vrOf(tag);
    const value = arg.slice(at + 1);
    keys[tag] = value === '' ? { vr } : { vr, Value: [vr === 'PN' ? { Alphabetic: value } : value] };
  }
  delete keys['00080005'];
  return keys;
}

const PATIENT_KEYS = ['00100010', '00100020', '00100030', '00100040', '00201200'];

const COLUMNS: Record<QueryLevel, Array<[string, string]>> = {
  PATIENT: [['PATIENT', '00100010'], ['ID', '00100020'], ['BIRTH DATE', '00100030'], ['SEX', '00100040'], ['STUDIES', '00201200']],
  STUDY: [['PATIENT', '00100010'], ['ID', '00100020'], ['DATE', '00080020'], ['MODALITIES', '00080061'], ['DESCRIPTION', '00081030'], ['ACCESSION', '00080050'], ['STUDY UID', '0020000D']],
  SERIES: [['MODALITY', '00080060'], ['NUMBER', '00200011'], ['DESCRIPTION', '0008103E'], ['IMAGES', '00201209'], ['SERIES UID', '0020000E']],
  IMAGE: [['NUMBER', '00200013'], ['SOP CLASS', '00080016'], ['SOP INSTANCE UID', '00080018']],
};

function findTable(level: QueryLevel, answers: DicomJsonDataset[]): string {
  const columns = COLUMNS[level];
  const cell = (answer: DicomJsonDataset, tag: string) =>
    (answer[tag]?.Value ?? [])
      .map((v) => (v !== null && typeof v === 'object' ? personName(v) : String(v ?? '')))
      .join('/');
  return formatTable(columns.map(([header]) => header), answers.map((a) => columns.map(([, tag]) => cell(a, tag))));
}
