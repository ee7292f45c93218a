/**
 * The presentation contexts of a C-STORE association (PS3.4 B, PS3.8 9.3.2.2):
 * each SOP class in each stored transfer syntax on its own, so the peer can
 * take the stored bytes as they are, and Explicit VR Little Endian in a
 * separate context as the target of a lossless decode for a peer that
 * accepts only uncompressed. Implicit VR Little Endian is not offered as a
 * fallback: the decoder produces Explicit VR Little Endian, and a peer that
 * picked Implicit in that context would take nothing we can send. More
 * instances than 128 contexts can hold are split over several associations.
 */
import { EXPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import type { StoredInstance } from '../stored-instance.js';
import type { ContextProposal } from './client-association.js';

const MAX_CONTEXTS = 128;

export interface StoreBatch {
  instances: StoredInstance[];
  contexts: ContextProposal[];
}

/** The contexts `instance` needs: its stored syntax, and Explicit VR LE unless that is the stored one. */
function contextsFor(instance: StoredInstance): ContextProposal[] {
  const own = { abstractSyntax: instance.sopClassUid, transferSyntaxes: [instance.transferSyntaxUid] };
  if (instance.transferSyntaxUid === EXPLICIT_VR_LE) return [own];
  return [own, { abstractSyntax: instance.sopClassUid, transferSyntaxes: [EXPLICIT_VR_LE] }];
}

const keyOf = (c: ContextProposal) => `${c.abstractSyntax}|${c.transferSyntaxes.join(',')}`;

/** Instances in their order, grouped so that each group's contexts fit one association. */
export function planStoreBatches(instances: readonly StoredInstance[]): StoreBatch[] {
  const batches: StoreBatch[] = [];
  let current: { instances: StoredInstance[]; contexts: Map<string, ContextProposal> } | undefined;
  for (const instance of instances) {
    const needed = contextsFor(instance);
    const missing = () => needed.filter((c) => !current!.contexts.has(keyOf(c)));
    if (!current || current.contexts.size + missing().length > MAX_CONTEXTS) {
      current = { instances: [], contexts: new Map() };
      batches.push({ instances: current.instances, contexts: [] });
    }
    for (const c of missing()) current.contexts.set(keyOf(c), c);
    current.instances.push(instance);
    batches[batches.length - 1]!.contexts = [...current.contexts.values()];
  }
  return batches;
}
