/** The Query/Retrieve SOP classes we serve (PS3.4 C.6) and what each asks of us. */
import type { DicomService } from '../../shared/config.js';
import type { QueryModel } from '../../shared/query/query-levels.js';

export interface QueryRetrieveClass {
  service: Extract<DicomService, 'find' | 'move' | 'get'>;
  model: QueryModel;
}

export const QUERY_RETRIEVE_CLASSES: ReadonlyMap<string, QueryRetrieveClass> = new Map([
  ['1.2.840.10008.5.1.4.1.2.1.1', { service: 'find', model: 'patient' }],
  ['1.2.840.10008.5.1.4.1.2.1.2', { service: 'move', model: 'patient' }],
  ['1.2.840.10008.5.1.4.1.2.1.3', { service: 'get', model: 'patient' }],
  ['1.2.840.10008.5.1.4.1.2.2.1', { service: 'find', model: 'study' }],
  ['1.2.840.10008.5.1.4.1.2.2.2', { service: 'move', model: 'study' }],
  ['1.2.840.10008.5.1.4.1.2.2.3', { service: 'get', model: 'study' }],
]);

/** The SOP class UID of a service in a model. */
export function queryRetrieveClassUid(service: QueryRetrieveClass['service'], model: QueryModel): string {
  for (const [uid, c] of QUERY_RETRIEVE_CLASSES) if (c.service === service && c.model === model) return uid;
  throw new Error(`no ${service} SOP class for the ${model} root model`);
}
