import { inflateSync } from 'fflate';

import { crc32 } from './crc32';

/**
 * A zip archive's directory, read once, and its entries unpacked one at a time from where the
 * directory says they are, each checked against the size and CRC-32 the directory declares.
 * fflate inflates; it does not check checksums, and its `unzipSync` walks the whole directory for
 * every entry it is asked for (10,000 numbered parts made that quadratic).
 */

export interface ZipEntry {
  /** Position in the directory. */
  index: number;
  path: string;
  /** 0 stored, 8 deflated; anything else is not supported. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  /** The uncompressed size the archive declares. */
  size: number;
  localHeaderOffset: number;
}

const END_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ENTRY_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const UTF8_NAME_FLAG = 0x800;
const ENCRYPTED_FLAG = 0x1;
const MAX_COMMENT = 0xffff;
const ZIP64_MARK = 0xffffffff;

/** A problem with the archive's bytes, worded for "…; the archive may be damaged (…)". */
export class ZipDamage extends Error {
  override name = 'ZipDamage';
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Uint8Array, flags: number): string {
  if (flags & UTF8_NAME_FLAG) return utf8.decode(bytes);
  try {
    return strictUtf8.decode(bytes); // many tools write UTF-8 names without the flag
  } catch {
    return latin1.decode(bytes);
  }
}

function findEnd(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - MAX_COMMENT);
  for (let at = view.byteLength - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) === END_SIGNATURE) return at;
  }
  throw new ZipDamage('no zip directory at its end');
}

/** The 64-bit fields of a ZIP64 extra block, for the 32-bit fields that say 0xFFFFFFFF. */
function zip64Fields(
  view: DataView,
  start: number,
  length: number,
  wanted: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number } {
  for (let at = start; at + 4 <= start + length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 0x0001) continue;
    const values: { size?: number; compressed?: number; offset?: number } = {};
    let field = at + 4;
    const next = () => {
      const value = Number(view.getBigUint64(field, true));
      field += 8;
      return value;
    };
    if (wanted.size) values.size = next();
    if (wanted.compressed) values.compressed = next();
    if (wanted.offset) values.offset = next();
    return values;
  }
  return {};
}

/** Every entry of the archive's central directory, in directory order. Throws {@link ZipDamage}. */
export function readZipDirectory(archive: Uint8Array): ZipEntry[] {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  if (archive.byteLength < 22) throw new ZipDamage('too short for a zip archive');
  const end = findEnd(view);
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const locator = end - 20;
  if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    if (
      zip64End + 56 > archive.byteLength ||
      view.getUint32(zip64End, true) !== ZIP64_END_SIGNATURE
    )
      throw new ZipDamage('its ZIP64 directory record is missing');
    count = Number(view.getBigUint64(zip64End + 32, true));
    offset = Number(view.getBigUint64(zip64End + 48, true));
  }
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (offset + 46 > archive.byteLength || view.getUint32(offset, true) !== ENTRY_SIGNATURE)
      throw new ZipDamage('its directory is cut off or overwritten');
    const flags = view.getUint16(offset + 8, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let compressedSize = view.getUint32(offset + 20, true);
    let size = view.getUint32(offset + 24, true);
    let localHeaderOffset = view.getUint32(offset + 42, true);
    const nameStart = offset + 46;
    if (nameStart + nameLength + extraLength > archive.byteLength)
      throw new ZipDamage('its directory is cut off');
    const wide = zip64Fields(view, nameStart + nameLength, extraLength, {
      size: size === ZIP64_MARK,
      compressed: compressedSize === ZIP64_MARK,
      offset: localHeaderOffset === ZIP64_MARK,
    });
    size = wide.size ?? size;
    compressedSize = wide.compressed ?? compressedSize;
    localHeaderOffset = wide.offset ?? localHeaderOffset;
    entries.push({
      index,
      path: decodeName(archive.subarray(nameStart, nameStart + nameLength), flags),
      method: view.getUint16(offset + 10, true),
      flags,
      crc32: view.getUint32(offset + 16, true),
      compressedSize,
      size,
      localHeaderOffset,
    });
    offset = nameStart + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * One entry's bytes, unpacked and checked: it must unpack to exactly the size the directory
 * declares (the output is never allowed past it) and match its CRC-32. Throws {@link ZipDamage}.
 */
export function unpackZipEntry(archive: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > archive.byteLength || view.getUint32(at, true) !== LOCAL_SIGNATURE)
    throw new ZipDamage('the entry is not where the directory says');
  if (entry.flags & ENCRYPTED_FLAG) throw new ZipDamage('the entry is encrypted');
  const dataStart = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (dataStart + entry.compressedSize > archive.byteLength)
    throw new ZipDamage('the entry is cut off');
  const packed = archive.subarray(dataStart, dataStart + entry.compressedSize);
  let bytes: Uint8Array;
  if (entry.method === 0) {
    bytes = packed.slice(0, entry.size + 1);
  } else if (entry.method === 8) {
    // One byte of room past the declared size: filling it means the entry would go on.
    bytes = inflateSync(packed, { out: new Uint8Array(entry.size + 1) });
  } else {
    throw new ZipDamage(`the entry uses compression method ${entry.method}, not supported`);
  }
  if (bytes.length > entry.size)
    throw new ZipDamage(`it unpacks to more than the ${entry.size} bytes the archive declares`);
  if (bytes.length < entry.size)
    throw new ZipDamage(`it unpacks to ${bytes.length} bytes; the archive declares ${entry.size}`);
  if (crc32(bytes) !== entry.crc32) throw new ZipDamage('its CRC-32 checksum does not match');
  return bytes;
}
