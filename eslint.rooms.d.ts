// Types of eslint.rooms.js for the layering tests.
export declare const floors: string[];
export declare const rooms: Record<string, { what: string; may: string[] }>;
export declare function roomOf(path: string): string | undefined;
export declare const roomsPlugin: { rules: Record<string, unknown> };
export declare function roomsMarkdown(): string;
