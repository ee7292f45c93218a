/**
 * Why a TCP connection to a node failed, in words a technologist can act on
 * (the queue panel and `viewbox send` show it), keeping the system code for
 * whoever reads the log.
 */
const CONNECT_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens at that address and port (is the PACS running, is the port right?)',
  ECONNRESET: 'the connection was reset by the peer or a firewall',
  ETIMEDOUT: 'no answer from the host (switched off, or a firewall drops the traffic)',
  EHOSTUNREACH: 'the host cannot be reached from this machine (network or routing problem)',
  ENETUNREACH: 'the network of that address cannot be reached from this machine',
  ENOTFOUND: 'the host name is not known to DNS',
  EAI_AGAIN: 'the host name could not be looked up now (DNS not answering)',
};

export function describeConnectFailure(error: Error | undefined): string | undefined {
  if (!error) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  const words = code ? CONNECT_FAILURES[code] : undefined;
  return words ? `${words} [${code}]` : error.message;
}
