/** A problem of a routing file: where (RFC 6901 pointer; line and column for a JSON syntax error) and why. */
export interface RoutingIssue {
  pointer: string;
  message: string;
  line?: number;
  column?: number;
}
