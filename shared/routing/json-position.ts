/**
 * Line and column of a JSON.parse failure, from the offset V8 puts in most of
 * its messages ("... in JSON at position 42"), the end of the text when it
 * ended early, or the one place of the unexpected character V8 names. A small
 * wrapper rather than the hanging-protocols JSON scanner, which this room may
 * not import; an unexpected character that occurs several times has no
 * position (the message quotes it with its context).
 */
import type { RoutingIssue } from './routing-issue.js';

export function jsonSyntaxIssue(text: string, error: Error): RoutingIssue {
  const message = `not valid JSON: ${error.message.replace(/ in JSON at position \d+.*$/s, '')}`;
  const offset = errorOffset(text, error.message);
  if (offset === undefined) return { pointer: '', message };
  const before = text.slice(0, offset);
  return { pointer: '', message, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

function errorOffset(text: string, reason: string): number | undefined {
  const at = /at position (\d+)/.exec(reason);
  if (at) return Number(at[1]);
  if (/end of JSON input/.test(reason)) return text.length;
  const token = /^Unexpected token '(.)'/su.exec(reason)?.[1];
  if (token === undefined) return undefined;
  const first = text.indexOf(token);
  return first >= 0 && first === text.lastIndexOf(token) ? first : undefined;
}
