import { dirname } from 'node:path';
import type { FileDriver } from '@tributary/sink-file';

function systemError(code: string, what: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${what}, ${path}`), { code, path });
}

/** An in-memory file system behind the {@link FileDriver} interface, recording every call it gets. */
export interface MemoryDriver extends FileDriver {
  /** The driver's calls, in order, as `method path-or-fd`. */
  readonly calls: string[];
  /** Folders that exist (`/` from the start). */
  readonly folders: Set<string>;
  /** Folders that refuse writes (checkWritable and openAppend fail with EACCES). */
  readonly readOnly: Set<string>;
  /** The text of a file, or undefined. */
  textOf(path: string): string | undefined;
}

export function memoryDriver(): MemoryDriver {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const folders = new Set<string>(['/']);
  const readOnly = new Set<string>();
  const files = new Map<string, { id: number; bytes: Uint8Array[] }>();
  const open = new Map<number, { id: number; bytes: Uint8Array[] }>();
  const calls: string[] = [];
  let nextId = 1;
  let nextFd = 100;
  const fileOf = (fd: number) => {
    const file = open.get(fd);
    if (file === undefined) throw Object.assign(new Error('EBADF: bad file descriptor'), { code: 'EBADF' });
    return file;
  };
  const append = (fd: number, bytes: Uint8Array): number => {
    fileOf(fd).bytes.push(bytes.slice());
    return bytes.length;
  };
  return {
    calls,
    folders,
    readOnly,
    textOf(path) {
      const file = files.get(path);
      return file === undefined ? undefined : file.bytes.map((part) => decoder.decode(part)).join('');
    },
    openAppend(path, _mode) {
      calls.push(`openAppend ${path}`);
      const folder = dirname(path);
      if (!folders.has(folder)) throw systemError('ENOENT', 'no such file or directory', path);
      if (readOnly.has(folder)) throw systemError('EACCES', 'permission denied', path);
      let file = files.get(path);
      if (file === undefined) {
        file = { id: nextId++, bytes: [] };
        files.set(path, file);
      }
      const fd = nextFd++;
      open.set(fd, file);
      return fd;
    },
    writeText(fd, text) {
      calls.push(`writeText ${fd}`);
      return append(fd, encoder.encode(text));
    },
    write(fd, data, offset, length) {
      calls.push(`write ${fd}`);
      return append(fd, data.subarray(offset, offset + length));
    },
    async fsync(fd) {
      calls.push(`fsync ${fd}`);
      fileOf(fd);
    },
    fsyncSync(fd) {
      calls.push(`fsyncSync ${fd}`);
      fileOf(fd);
    },
    close(fd) {
      calls.push(`close ${fd}`);
      fileOf(fd);
      open.delete(fd);
    },
    makeDirectory(path) {
      calls.push(`makeDirectory ${path}`);
      const missing: string[] = [];
      for (let current = path; !folders.has(current); current = dirname(current)) {
        if (files.has(current)) throw systemError('ENOTDIR', 'not a directory', current);
        missing.push(current);
      }
      for (const folder of missing.reverse()) {
        if (readOnly.has(dirname(folder))) throw systemError('EACCES', 'permission denied', folder);
        folders.add(folder);
      }
    },
    kindAt(path) {
      calls.push(`kindAt ${path}`);
      if (folders.has(path)) return 'folder';
      return files.has(path) ? 'other' : undefined;
    },
    checkWritable(path) {
      calls.push(`checkWritable ${path}`);
      if (!folders.has(path)) throw systemError('ENOENT', 'no such file or directory', path);
      if (readOnly.has(path)) throw systemError('EACCES', 'permission denied', path);
    },
    identityOf(fd) {
      calls.push(`identityOf ${fd}`);
      return String(fileOf(fd).id);
    },
    identityAt(path) {
      calls.push(`identityAt ${path}`);
      const file = files.get(path);
      return file === undefined ? undefined : String(file.id);
    },
    sizeOf(fd) {
      calls.push(`sizeOf ${fd}`);
      return fileOf(fd).bytes.reduce((total, part) => total + part.length, 0);
    },
    encode: (text) => encoder.encode(text),
    byteLength: (text) => encoder.encode(text).length,
  };
}
