/** The destinations a rule or a manual send may name: configured DIMSE nodes and DICOMweb nodes, one name space. */
import type { DicomwebNode, RemoteNode, ViewboxConfig } from '../../shared/config.js';

export type Destination = { kind: 'dimse'; name: string; node: RemoteNode } | { kind: 'dicomweb'; name: string; node: DicomwebNode };

export function destinationsOf(config: Pick<ViewboxConfig, 'nodes' | 'dicomwebNodes'>): Destination[] {
  return [
    ...config.nodes.map((node): Destination => ({ kind: 'dimse', name: node.name, node })),
    ...(config.dicomwebNodes ?? []).map((node): Destination => ({ kind: 'dicomweb', name: node.name, node })),
  ];
}
