// `ExecStart=` as `systemctl show` prints an exec command (same shape in 219 … 257):
//   ExecStart={ path=/usr/sbin/nginx ; argv[]=/usr/sbin/nginx -g daemon on; master_process on; ; ignore_errors=no ; start_time=[…] ; … }
// argv is joined with plain spaces and may itself contain " ; ", so it runs from "argv[]=" to
// the LAST " ; ignore_errors=" (ExecStartEx= prints " ; flags=" instead).
import type { ExecCommand } from '../model/types.js';

export function parseExecCommand(value: string): ExecCommand | null {
  const v = value.trim();
  if (!v.startsWith('{') || !v.includes('argv[]=')) return null;
  const path = /^\{ path=(.*?) ; argv\[\]=/.exec(v)?.[1];
  if (path === undefined || path === '') return null;
  const start = v.indexOf(' ; argv[]=') + ' ; argv[]='.length;
  const end = Math.max(v.lastIndexOf(' ; ignore_errors='), v.lastIndexOf(' ; flags='));
  const argv = end > start ? v.slice(start, end) : v.slice(start).replace(/ ?}$/, '');
  return { path, argv: argv.trim() };
}
