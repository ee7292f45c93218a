/**
 * Viewbox's identity in File Meta (0002,0012/0013) and association requests.
 * The class UID is a fixed 2.25 UUID-derived UID (PS3.5 B.2), generated once.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.102698144391521510048147602263601355791';
/** At most 16 characters (SH). */
export const IMPLEMENTATION_VERSION_NAME = 'VIEWBOX_01';
