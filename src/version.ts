/** The program version (kept equal to deno.json's `version`; a test checks it). */
export const VERSION = "0.1.0";
