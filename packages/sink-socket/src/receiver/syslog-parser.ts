/** The parts of an RFC 5424 message. NILVALUE fields are `'-'`. */
export interface SyslogMessage {
  readonly priority: number;
  readonly facility: number;
  readonly severity: number;
  readonly version: number;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  /** The STRUCTURED-DATA text as sent (`-` when none). */
  readonly structuredData: string;
  /** MSG, without a leading UTF-8 BOM. */
  readonly msg: string;
}

const HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;

/** Parses an RFC 5424 message; returns undefined for anything else (e.g. RFC 3164 or JSON). */
export function parseSyslogMessage(text: string): SyslogMessage | undefined {
  const match = HEADER.exec(text);
  if (match === null) return undefined;
  const priority = Number(match[1]);
  if (priority > 191) return undefined;
  let index = match[0].length;
  let structuredData: string;
  if (text[index] === '-') {
    structuredData = '-';
    index += 1;
  } else if (text[index] === '[') {
    const start = index;
    while (text[index] === '[') {
      index += 1;
      while (index < text.length && text[index] !== ']') index += text[index] === '\\' ? 2 : 1;
      if (index >= text.length) return undefined;
      index += 1;
    }
    structuredData = text.slice(start, index);
  } else {
    return undefined;
  }
  let msg = '';
  if (index < text.length) {
    if (text[index] !== ' ') return undefined;
    msg = text.slice(index + 1);
    if (msg.startsWith('\ufeff')) msg = msg.slice(1);
  }
  return {
    priority,
    facility: priority >> 3,
    severity: priority & 7,
    version: Number(match[2]),
    timestamp: match[3] as string,
    hostname: match[4] as string,
    appName: match[5] as string,
    procId: match[6] as string,
    msgId: match[7] as string,
    structuredData,
    msg,
  };
}
