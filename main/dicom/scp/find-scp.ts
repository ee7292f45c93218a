/**
 * C-FIND as an SCP (PS3.4 C.4.1): the identifier is compiled by the shared
 * query engine, answered from the index, and each match goes back as a
 * Pending response; a C-CANCEL stops it between responses.
 */
import { encodeDataset } from '../../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset, DicomJsonElement } from '../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../../shared/error-message.js';
import { answerFor, type CompiledQuery } from '../../../shared/query/compiled-query.js';
import { QUERY_LEVELS, UNIQUE_KEY, type QueryLevel, type QueryModel } from '../../../shared/query/query-levels.js';
import type { Logger } from '../../log.js';
import type { ArchiveReader } from '../../store/archive-reader.js';
import { encodeResponse, type CommandSet } from '../ul/dimse-command.js';
import type { ResponseChannel } from './operation-channels.js';
import { compileIdentifier, IdentifierError } from './query-identifier.js';
import { QueryStatus } from '../status.js';

/** Unique keys an answer always carries: those of its level and the levels above (C.4.1.2.1.4). */
export function hierarchyKeys(model: QueryModel, level: QueryLevel): string[] {
  const levels = QUERY_LEVELS.slice(model === 'study' ? 1 : 0, QUERY_LEVELS.indexOf(level) + 1);
  return levels.map((l) => UNIQUE_KEY[l]);
}

export interface FindContext {
  model: QueryModel;
  transferSyntaxUid: string;
  /** The archive's records, through its read door. */
  index: Pick<ArchiveReader, 'findRecords'>;
  logger: Logger;
}

export class FindOperation {
  private cancelled = false;

  constructor(
    private readonly request: CommandSet,
    private readonly identifier: DicomJsonDataset,
    private readonly context: FindContext,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }

  async run(channel: ResponseChannel): Promise<void> {
    const { model, index, logger, transferSyntaxUid } = this.context;
    let query: CompiledQuery;
    try {
      query = compileIdentifier(model, this.identifier);
    } catch (error) {
      const status = error instanceof IdentifierError ? error.status : QueryStatus.unableToProcess;
      const message = errorMessage(error);
      logger.warn('C-FIND refused', { reason: message });
      return channel.send(encodeResponse(this.request, status, message));
    }
    const started = performance.now();
    let records: DicomJsonDataset[];
    try {
      records = index.findRecords(query);
    } catch (error) {
      // The association outlives a query the index could not run.
      const message = `the index could not answer: ${errorMessage(error)}`;
      logger.warn('C-FIND failed', { level: query.level, reason: message });
      return channel.send(encodeResponse(this.request, QueryStatus.unableToProcess, message));
    }
    const always = hierarchyKeys(model, query.level);
    const explicitVr = transferSyntaxUid === EXPLICIT_VR_LE;
    let sent = 0;
    for (const record of records) {
      if (this.cancelled) break;
      const answer = encodeAnswer({ ...inlineOnly(answerFor(query, record, always)), '00080052': { vr: 'CS', Value: [query.level] } }, explicitVr, logger);
      await channel.send(encodeResponse(this.request, QueryStatus.pending, { hasDataset: true }), answer);
      // Let the reader see a C-CANCEL between responses.
      if (++sent % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const status = this.cancelled ? QueryStatus.cancel : QueryStatus.success;
    logger.info('C-FIND answered', { level: query.level, matches: records.length, sent, cancelled: this.cancelled, ms: Math.round(performance.now() - started) });
    await channel.send(encodeResponse(this.request, status));
  }
}

/**
 * Bulk data is never part of a C-FIND answer: a value kept in the file (pixel
 * data asked for at IMAGE level, an icon's pixels or any large binary value
 * inside a sequence item) is returned empty, at every depth. Items are
 * nested no deeper than the parser allows (64 sequences), so the recursion is bounded.
 */
function inlineOnly(dataset: DicomJsonDataset): DicomJsonDataset {
  return Object.fromEntries(Object.entries(dataset).map(([tag, element]) => [tag, inlineElement(element)]));
}

function inlineElement(element: DicomJsonElement): DicomJsonElement {
  if (element.BulkDataURI !== undefined) return { vr: element.vr };
  if (element.vr !== 'SQ' || !element.Value) return element;
  return { ...element, Value: element.Value.map((item) => (item !== null && typeof item === 'object' ? inlineOnly(item as DicomJsonDataset) : item)) };
}

/**
 * The answer's bytes. An element that cannot be encoded (a value its VR
 * cannot hold, text too long for explicit VR's 16-bit length) is returned
 * empty and logged, rather than failing the whole C-FIND.
 */
function encodeAnswer(answer: DicomJsonDataset, explicitVr: boolean, logger: Logger): Uint8Array {
  try {
    return encodeDataset(answer, { explicitVr });
  } catch {
    const encodable: DicomJsonDataset = {};
    for (const [tag, element] of Object.entries(answer)) {
      try {
        encodeDataset({ [tag]: element }, { explicitVr });
        encodable[tag] = element;
      } catch (error) {
        logger.warn('C-FIND answer: value returned empty', { tag, reason: errorMessage(error) });
        encodable[tag] = { vr: element.vr };
      }
    }
    return encodeDataset(encodable, { explicitVr });
  }
}
