/** The Query/Retrieve context of an operation and its identifier (PS3.4 C.4): level plus keys, in the accepted syntax. */
import { encodeDataset } from '../../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE, uidName } from '../../../shared/dicom/uid-registry.js';
import type { QueryLevel, QueryModel } from '../../../shared/query/query-levels.js';
import { queryRetrieveClassUid, type QueryRetrieveClass } from '../query-retrieve-classes.js';
import type { AcceptedContext, ClientAssociation, ContextProposal } from './client-association.js';
import { ContextNotAcceptedError } from './scu-error.js';

const QUERY_LEVEL = '00080052';

/** Patient Root for PATIENT level, Study Root otherwise, unless the caller chose. */
export function modelFor(level: QueryLevel, model: QueryModel | undefined): QueryModel {
  return model ?? (level === 'PATIENT' ? 'patient' : 'study');
}

export function queryContextProposal(service: QueryRetrieveClass['service'], model: QueryModel): ContextProposal {
  return { abstractSyntax: queryRetrieveClassUid(service, model), transferSyntaxes: [EXPLICIT_VR_LE, IMPLICIT_VR_LE] };
}

export function acceptedQueryContext(association: ClientAssociation, service: QueryRetrieveClass['service'], model: QueryModel): AcceptedContext {
  const uid = queryRetrieveClassUid(service, model);
  const context = association.contextOf(uid);
  if (!context) throw new ContextNotAcceptedError(association.node, `the peer does not accept ${uidName(uid) ?? uid}`);
  return context;
}

/** The keys with Query/Retrieve Level (0008,0052) set, encoded for `context`. */
export function encodeIdentifier(level: QueryLevel, keys: DicomJsonDataset, context: AcceptedContext): Uint8Array {
  return encodeDataset({ ...keys, [QUERY_LEVEL]: { vr: 'CS', Value: [level] } }, { explicitVr: context.transferSyntax === EXPLICIT_VR_LE });
}
