/**
 * QIDO-RS (PS3.18 10.6) under /dicom-web: /studies, /series, /instances and
 * the nested forms. The search is the shared query engine's (the same
 * matching as C-FIND), answered from the index without opening image files.
 */
import type { Context, Hono } from 'hono';
import { instanceUrl, seriesUrl, studyUrl } from '../../../shared/api/dicomweb-paths.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { parseQido, QidoParameterError, qidoAnswer } from '../../../shared/query/qido.js';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { DICOM_JSON } from './negotiation.js';
import { rangeCovers } from './media-type.js';
import { acceptOf } from './request-headers.js';
import { serviceRoot } from './urls.js';

type Level = 'STUDY' | 'SERIES' | 'IMAGE';

const SEARCHES: Array<[path: string, level: Level]> = [
  ['/studies', 'STUDY'],
  ['/series', 'SERIES'],
  ['/instances', 'IMAGE'],
  ['/studies/:study/series', 'SERIES'],
  ['/studies/:study/instances', 'IMAGE'],
  ['/studies/:study/series/:series/instances', 'IMAGE'],
];

export function registerQido(web: Hono, deps: DicomWebDeps): void {
  for (const [path, level] of SEARCHES) web.get(path, (c) => search(deps, c, level));
}

function search(deps: DicomWebDeps, c: Context, level: Level): Response {
  const accept = acceptOf(c.req.raw);
  if (!accept.some((range) => rangeCovers(range.essence, DICOM_JSON) || range.essence === 'application/json')) {
    throw new DicomWebError(406, `QIDO-RS answers ${DICOM_JSON} only; the Accept header asks for ${c.req.header('accept')}`);
  }
  const scope = { studyUid: c.req.param('study'), seriesUid: c.req.param('series') };
  let parsed;
  try {
    parsed = parseQido(level, new URL(c.req.url).searchParams, scope);
  } catch (error) {
    if (error instanceof QidoParameterError) throw new DicomWebError(400, error.message);
    throw error;
  }
  const root = serviceRoot(c.req.url);
  const records = deps.archive.findRecords(parsed.query, { offset: parsed.offset, ...(parsed.limit !== undefined ? { limit: parsed.limit } : {}) });
  const answers = records.map((record) => withRetrieveUrl(qidoAnswer(parsed, record), level, root));
  return new Response(JSON.stringify(answers), { status: 200, headers: { 'content-type': DICOM_JSON } });
}

/** Retrieve URL (0008,1190): where the matched study, series or instance is retrieved with WADO-RS. */
function withRetrieveUrl(answer: DicomJsonDataset, level: Level, root: string): DicomJsonDataset {
  const uid = (tag: string) => {
    const value = answer[tag]?.Value?.[0];
    return typeof value === 'string' ? value : undefined;
  };
  const study = uid('0020000D');
  const series = uid('0020000E');
  const sop = uid('00080018');
  let url: string | undefined;
  if (level === 'STUDY' && study) url = studyUrl(root, study);
  else if (level === 'SERIES' && study && series) url = seriesUrl(root, study, series);
  else if (level === 'IMAGE' && study && series && sop) url = instanceUrl(root, { studyUid: study, seriesUid: series, sopInstanceUid: sop });
  return url ? { ...answer, '00081190': { vr: 'UR', Value: [url] } } : answer;
}
