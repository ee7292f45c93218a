/**
 * The presentation contexts a C-GET proposes for the C-STORE sub-operations
 * that bring the instances back (PS3.4 C.4.3, role selection PS3.7 D.3.3.4).
 * An association holds at most 128 contexts, fewer than the standard's
 * storage classes, so a C-GET proposes the classes most common in radiology
 * (docs/conformance.md lists them) and spreads the transfer syntaxes over as
 * many contexts per class as fit: the peer accepts one syntax per context, so
 * more contexts mean more instances arrive as stored, unconverted.
 */
import { EXPLICIT_VR_LE, IMPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import type { RoleSelection } from '../ul/pdu-codec.js';
import type { ContextProposal } from './client-association.js';

/** Storage classes proposed by default, images first; `image: false` classes never carry compressed pixel data. */
export const RADIOLOGY_STORAGE_CLASSES: ReadonlyArray<{ uid: string; name: string; image: boolean }> = [
  { uid: '1.2.840.10008.5.1.4.1.1.2', name: 'CT Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.2.1', name: 'Enhanced CT Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.4', name: 'MR Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.4.1', name: 'Enhanced MR Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.1', name: 'Computed Radiography Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.1.1', name: 'Digital X-Ray Image - For Presentation', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.1.1.1', name: 'Digital X-Ray Image - For Processing', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.1.2', name: 'Digital Mammography X-Ray Image - For Presentation', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.1.2.1', name: 'Digital Mammography X-Ray Image - For Processing', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.13.1.3', name: 'Breast Tomosynthesis Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.6.1', name: 'Ultrasound Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.3.1', name: 'Ultrasound Multi-frame Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.12.1', name: 'X-Ray Angiographic Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.12.2', name: 'X-Ray Radiofluoroscopic Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.20', name: 'Nuclear Medicine Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.128', name: 'Positron Emission Tomography Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.7', name: 'Secondary Capture Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.7.2', name: 'Multi-frame Grayscale Byte Secondary Capture Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.7.3', name: 'Multi-frame Grayscale Word Secondary Capture Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.7.4', name: 'Multi-frame True Color Secondary Capture Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.66.4', name: 'Segmentation', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.481.1', name: 'RT Image', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.481.2', name: 'RT Dose', image: true },
  { uid: '1.2.840.10008.5.1.4.1.1.88.11', name: 'Basic Text SR', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.88.22', name: 'Enhanced SR', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.88.33', name: 'Comprehensive SR', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.88.34', name: 'Comprehensive 3D SR', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.88.50', name: 'Mammography CAD SR', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.88.67', name: 'X-Ray Radiation Dose SR', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.88.59', name: 'Key Object Selection Document', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.11.1', name: 'Grayscale Softcopy Presentation State', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.481.3', name: 'RT Structure Set', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.481.5', name: 'RT Plan', image: false },
  { uid: '1.2.840.10008.5.1.4.1.1.104.1', name: 'Encapsulated PDF', image: false },
];

export const UNCOMPRESSED_SYNTAXES: readonly string[] = [EXPLICIT_VR_LE, IMPLICIT_VR_LE];

/** Compressed syntaxes proposed for images, most common in archives first, lossless before lossy within a family. */
export const COMPRESSED_SYNTAXES: readonly string[] = [
  '1.2.840.10008.1.2.4.70', // JPEG Lossless, SV1
  '1.2.840.10008.1.2.4.57', // JPEG Lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.5', // RLE Lossless
  '1.2.840.10008.1.2.4.50', // JPEG Baseline
  '1.2.840.10008.1.2.4.51', // JPEG Extended
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS Near-Lossless
  '1.2.840.10008.1.2.4.201', // HTJ2K Lossless
  '1.2.840.10008.1.2.4.203', // HTJ2K
];

const KNOWN_NON_IMAGE = new Set(RADIOLOGY_STORAGE_CLASSES.filter((c) => !c.image).map((c) => c.uid));

/**
 * Contexts and role selections (we take the SCP role of storage) for
 * `sopClasses`, leaving `reserved` contexts for the C-GET itself. Classes
 * known not to be images get the uncompressed syntaxes only; each image
 * class gets one uncompressed context plus the compressed syntaxes split,
 * in order, over as many further contexts as the limit allows.
 */
export function getStorageContexts(
  sopClasses: readonly string[] = RADIOLOGY_STORAGE_CLASSES.map((c) => c.uid),
  transferSyntaxes: readonly string[] = [...UNCOMPRESSED_SYNTAXES, ...COMPRESSED_SYNTAXES],
  reserved = 1,
): { contexts: ContextProposal[]; roles: RoleSelection[] } {
  const budget = 128 - reserved;
  const uncompressed = transferSyntaxes.filter((ts) => UNCOMPRESSED_SYNTAXES.includes(ts));
  const compressed = transferSyntaxes.filter((ts) => !UNCOMPRESSED_SYNTAXES.includes(ts));
  const classes = [...new Set(sopClasses)];
  const images = classes.filter((uid) => !KNOWN_NON_IMAGE.has(uid) && compressed.length > 0);
  const others = classes.length - images.length;
  if (others + images.length > budget) throw new Error(`${classes.length} storage classes do not fit the ${budget} presentation contexts left in one association`);
  const perImage = images.length === 0 ? 1 : Math.min(Math.floor((budget - others) / images.length), (uncompressed.length > 0 ? 1 : 0) + compressed.length);
  const contexts: ContextProposal[] = [];
  for (const uid of classes) {
    if (!images.includes(uid)) {
      contexts.push({ abstractSyntax: uid, transferSyntaxes: uncompressed.length > 0 ? uncompressed : [...transferSyntaxes] });
    } else if (perImage === 1) {
      contexts.push({ abstractSyntax: uid, transferSyntaxes: [...uncompressed, ...compressed] });
    } else {
      if (uncompressed.length > 0) contexts.push({ abstractSyntax: uid, transferSyntaxes: uncompressed });
      const groups = perImage - (uncompressed.length > 0 ? 1 : 0);
      const size = Math.ceil(compressed.length / groups);
      for (let at = 0; at < compressed.length; at += size) contexts.push({ abstractSyntax: uid, transferSyntaxes: compressed.slice(at, at + size) });
    }
  }
  return { contexts, roles: classes.map((uid) => ({ sopClassUid: uid, scu: false, scp: true })) };
}
