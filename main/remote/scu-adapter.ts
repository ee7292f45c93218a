// TEMPORARY STUB until the SCU client lands
import type { DicomLimits, RemoteNode } from '../../shared/config.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { QueryLevel, QueryModel } from '../../shared/query/query-levels.js';
import type { Logger } from '../log.js';
import type { InstanceSink } from '../store/instance-sink.js';
import type { SubOperationOutcome } from '../dicom/move-scp.js';
import type { StoredInstance, Transcode } from '../dicom/stored-instance.js';
export interface ScuPeer { node: RemoteNode; callingAe: string; limits: DicomLimits; logger: Logger }
export interface RetrieveProgress { completed: number; failed: number; warning?: number | undefined; remaining?: number | undefined }
export interface RetrieveResult extends RetrieveProgress { failedSopInstanceUids: string[]; error?: string }
export async function scuEcho(_p: ScuPeer): Promise<number> { throw new Error('stub'); }
export async function scuFind(_p: ScuPeer, _o: { model: QueryModel; level: QueryLevel; keys: DicomJsonDataset }): Promise<DicomJsonDataset[]> { throw new Error('stub'); }
export async function scuMove(_p: ScuPeer, _o: { destination: string; level: QueryLevel; keys: DicomJsonDataset; signal: AbortSignal; onProgress: (p: RetrieveProgress) => void }): Promise<RetrieveResult> { throw new Error('stub'); }
export async function scuGet(_p: ScuPeer, _o: { level: QueryLevel; keys: DicomJsonDataset; sink: InstanceSink; signal: AbortSignal; onProgress: (p: RetrieveProgress) => void }): Promise<RetrieveResult> { throw new Error('stub'); }
export async function scuStore(_p: ScuPeer, _o: { instances: StoredInstance[]; signal: AbortSignal; transcode: Transcode | undefined; moveOriginator?: { aet: string; messageId: number }; onResult: (r: SubOperationOutcome) => void }): Promise<void> { throw new Error('stub'); }
