/** C-ECHO SCP (PS3.4 A.4): the Verification service always succeeds. */
import { encodeResponse, type CommandSet } from '../ul/dimse-command.js';
import { EchoStatus } from '../status.js';

export function echoResponse(request: CommandSet): Uint8Array {
  return encodeResponse(request, EchoStatus.success);
}
