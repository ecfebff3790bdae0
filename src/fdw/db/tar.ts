// Unpacks the tar archives PGlite's dumpDataDir() writes (ustar, directories and regular files
// only). Doing it here with native file writes takes a fraction of the time PGlite's own
// loadDataDir takes to write the same files through the WASM file system.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

const BLOCK = 512;

export function extractTar(archive: Uint8Array, destination: string): void {
  const tar = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  let offset = 0;
  while (offset + BLOCK <= tar.length && tar[offset] !== 0) {
    const header = tar.subarray(offset, offset + BLOCK);
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const mode = parseInt(field(header, 100, 8), 8) & 0o777;
    const size = parseInt(field(header, 124, 12) || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const path = safeJoin(destination, prefix ? `${prefix}/${name}` : name);
    const data = offset + BLOCK;
    if (type === '5') {
      mkdirSync(path, { recursive: true, mode });
    } else if (type === '0' || type === '\0') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, tar.subarray(data, data + size), { mode });
    } else {
      throw new Error(`unexpected tar entry type '${type}' for ${name}`);
    }
    offset = data + Math.ceil(size / BLOCK) * BLOCK;
  }
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.toString('latin1', 0, end === -1 ? raw.length : end).trim();
}

// Entry names are absolute in PGlite's archives ('/base/5/1259'); all must stay inside destination.
function safeJoin(destination: string, name: string): string {
  const relative = normalize(name.replace(/^\/+/, ''));
  if (relative === '..' || relative.startsWith(`..${sep}`)) throw new Error(`tar entry outside the destination: ${name}`);
  return join(destination, relative);
}
