/**
 * The instances a C-MOVE or C-GET identifier names (the query engine finds
 * the records at the requested level, and each expands to its instances),
 * and the final response that reports what became of them.
 */
import { encodeDataset } from '../../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../../shared/error-message.js';
import { compileQuery, type CompiledQuery } from '../../../shared/query/compiled-query.js';
import type { QueryModel } from '../../../shared/query/query-levels.js';
import type { Logger } from '../../log.js';
import type { ArchiveReader, HeldInstance } from '../../store/archive-reader.js';
import { encodeResponse, type CommandSet } from '../ul/dimse-command.js';
import type { ResponseChannel } from './operation-channels.js';
import { compileIdentifier, IdentifierError } from './query-identifier.js';
import { RetrieveStatus } from '../status.js';
import type { StoredInstance, Transcode } from '../stored-instance.js';
import type { SubOperationTally } from './sub-operations.js';

export interface RetrieveContext {
  model: QueryModel;
  transferSyntaxUid: string;
  /** The archive's read door: what the identifier names, and where each instance's bytes are. */
  archive: ArchiveReader;
  transcode: Transcode | undefined;
  logger: Logger;
}

/** Compile a retrieve identifier and list its instances, or answer the request with the failure. */
export async function resolveRetrieve(request: CommandSet, identifier: DicomJsonDataset, context: RetrieveContext, channel: ResponseChannel): Promise<StoredInstance[] | undefined> {
  let query: CompiledQuery;
  try {
    query = compileIdentifier(context.model, identifier);
  } catch (error) {
    const status = error instanceof IdentifierError ? error.status : RetrieveStatus.unableToProcess;
    const message = errorMessage(error);
    context.logger.warn('retrieve refused', { reason: message });
    await channel.send(encodeResponse(request, status, message));
    return undefined;
  }
  return instancesToRetrieve(context.archive, query).map((row) => ({
    sopClassUid: row.sopClassUid,
    sopInstanceUid: row.sopInstanceUid,
    transferSyntaxUid: row.transferSyntaxUid,
    path: context.archive.fileOf(row),
  }));
}

/** The final response of a C-MOVE / C-GET: counts, status, and the failed list when any failed. */
export function sendFinal(request: CommandSet, tally: SubOperationTally, cancelled: boolean, context: RetrieveContext, channel: ResponseChannel): Promise<void> {
  const failedList = tally.failedList();
  const explicitVr = context.transferSyntaxUid === EXPLICIT_VR_LE;
  const command = encodeResponse(request, tally.finalStatus(cancelled), { hasDataset: !!failedList, fields: tally.fields({ cancelled }) });
  return channel.send(command, failedList && encodeDataset(failedList, { explicitVr }));
}

export function instancesToRetrieve(index: Pick<ArchiveReader, 'findRecords' | 'getInstance' | 'listInstances'>, query: CompiledQuery): HeldInstance[] {
  const seen = new Set<string>();
  const out: HeldInstance[] = [];
  const add = (rows: HeldInstance[]) => {
    for (const row of rows) {
      if (seen.has(row.sopInstanceUid)) continue;
      seen.add(row.sopInstanceUid);
      out.push(row);
    }
  };
  for (const record of index.findRecords(query)) {
    const value = (tag: string) => {
      const v = record[tag]?.Value?.[0];
      return typeof v === 'string' ? v : undefined;
    };
    if (query.level === 'IMAGE') {
      const row = index.getInstance(value('00080018') ?? '');
      if (row) add([row]);
    } else if (query.level === 'SERIES') {
      add(index.listInstances({ seriesUid: value('0020000E') ?? '' }));
    } else if (query.level === 'STUDY') {
      add(index.listInstances({ studyUid: value('0020000D') ?? '' }));
    } else {
      // A patient without an ID is only reachable through its studies.
      const patientId = value('00100020');
      if (!patientId) continue;
      const patientKeys = { '00100020': { vr: 'LO', Value: [patientId] }, '0020000D': { vr: 'UI' } };
      for (const study of index.findRecords(compileQuery('STUDY', patientKeys))) {
        const uid = study['0020000D']?.Value?.[0];
        if (typeof uid === 'string') add(index.listInstances({ studyUid: uid }));
      }
    }
  }
  return out;
}
