/**
 * Studies that hold no images a reader would look at (reports, plans,
 * structure sets, segmentations, waveforms): the worklist shows what they
 * are instead of asking the node for a picture.
 */
const NON_IMAGE_MODALITIES: Readonly<Record<string, string>> = {
  SR: 'structured report',
  DOC: 'document',
  KO: 'key image selection',
  PR: 'presentation state',
  SEG: 'segmentation',
  RTPLAN: 'radiotherapy plan',
  RTSTRUCT: 'radiotherapy structure set',
  RTRECORD: 'radiotherapy treatment record',
  REG: 'registration',
  ECG: 'ECG waveform',
  HD: 'waveform',
  AU: 'audio',
};

/** What a study without images holds, in words ("structured report"); undefined when it has (or may have) images. */
export function nonImageContent(modalities: readonly string[]): string | undefined {
  if (modalities.length === 0 || !modalities.every((m) => m in NON_IMAGE_MODALITIES)) return undefined;
  return modalities.map((m) => NON_IMAGE_MODALITIES[m]!).join(', ');
}
