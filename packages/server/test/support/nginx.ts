import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './test-server.js';
import { exited } from './served-process.js';

export const NGINX = '/usr/sbin/nginx';

/** Null when nginx is installed here, else why not (CI installs it: .ci/run). */
export function nginxMissing(): string | null {
  if (!existsSync(NGINX)) return `${NGINX} is missing: apt-get install -y nginx-light (.ci/run does)`;
  return spawnSync(NGINX, ['-v']).status === 0 ? null : `${NGINX} -v failed`;
}

export interface ReverseProxy {
  readonly url: string;
  /** nginx's error log so far: what it said about upstreams that failed. */
  errors(): string;
  close(): Promise<void>;
}

/**
 * nginx on a loopback port in front of `upstreams` (host:port), as a platform team runs it: round-robin,
 * keep-alive connections to the upstreams, X-Forwarded-For set, a failed upstream retried on the next.
 */
export async function startReverseProxy(upstreams: readonly string[], port?: number): Promise<ReverseProxy> {
  const prefix = mkdtempSync(join(tmpdir(), 'latchkey-nginx-'));
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir));
  port ??= await freePort();
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${join(prefix, 'error.log')} warn;
pid ${join(prefix, 'nginx.pid')};
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  upstream latchkey {
    ${upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=2s;`).join('\n    ')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://latchkey;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # A request whose connection was refused or reset before the upstream read it is safe to send to the
      # other instance, POST included: a draining Latchkey resets only connections it never read
      # (docs/reverse-proxy.md).
      proxy_next_upstream error timeout non_idempotent;
      proxy_connect_timeout 2s;
    }
  }
}
`;
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await fetch(`${url}/healthz`).then(() => true, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    errors: () => (existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : ''),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        await exited(child);
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
