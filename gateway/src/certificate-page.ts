/**
 * The printable page of a certificate, `GET /certificates/<number>?code=<code>`
 * on the graph's own origin (docs/gateway.md, "Certificate pages"): what
 * `certificateVerify` answers an anonymous caller, as an HTML page in
 * Chinese with a QR code of the page's own address, so a printed
 * certificate can be checked by scanning it. The page asks the graph as an
 * anonymous viewer whatever token the request carries, so it shows exactly
 * what anyone holding the number and code may see; it passes the gateway's
 * entrance first, so anonymous callers are rate limited by address as on
 * `/graphql`. A malformed number or code is 400, a certificate the number
 * and code do not name 404 (the same page whichever is wrong), the graph
 * unavailable 503; never a 500 for what a caller sends.
 *
 * The page loads nothing: its style is inline and allowed by its hash, the
 * QR code is inline SVG, fonts are the system's (Noto CJK on the servers we
 * run), and the policy forbids scripts, frames, forms and every other
 * origin.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '@lianxin/shared';

export const CERTIFICATE_PAGE_PATH = '/certificates';

/** `LX-<year>-<serial>`: the numbers recognition hands out (docs/recognition.md, "Certificates"). */
const NUMBER = /^LX-\d{4}-\d{6,9}$/;
/** Eight characters of the code alphabet (no 0/O, 1/I/L), either case. */
const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/** What `certificateVerify` states, as the page shows it. */
export interface VerifiedCertificate {
  number: string;
  kind: 'SERVICE_RECORD' | 'HONOUR';
  holderName: string;
  title: string;
  citation: string | null;
  issuer: string;
  periodFrom: string | null;
  periodTo: string | null;
  hours: number | null;
  services: number | null;
  issuedAt: string;
  status: 'VALID' | 'REVOKED' | 'UNDER_REVIEW';
  revokedAt: string | null;
}

/** The operation the page runs, as an anonymous caller. */
export const CERTIFICATE_VERIFY_QUERY = `query CertificatePage($number: String!, $code: String!) {
  certificateVerify(number: $number, code: $code) {
    number kind holderName title citation issuer periodFrom periodTo hours services issuedAt status revokedAt
  }
}`;

/** The graph's answer: the certificate, null when none matches, or `unavailable` when the graph could not answer. */
export type VerifyAnswer = { certificate: VerifiedCertificate | null } | { unavailable: true };

const STYLE = `
body { margin: 0; background: #f4efe6; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif; color: #2b1d0e; }
main { max-width: 720px; margin: 32px auto; background: #fffdf8; border: 12px double #b8860b; padding: 40px 48px; }
h1 { text-align: center; font-size: 34px; letter-spacing: 0.3em; margin: 0 0 8px; color: #8b0000; }
p.kind { text-align: center; margin: 0 0 28px; color: #6b5b45; }
dl { display: grid; grid-template-columns: 8em 1fr; gap: 10px 16px; font-size: 18px; }
dt { color: #6b5b45; }
dd { margin: 0; }
.status-VALID { color: #1f6f3f; font-weight: bold; }
.status-REVOKED { color: #b00020; font-weight: bold; }
.status-UNDER_REVIEW { color: #b36b00; font-weight: bold; }
.verify { display: flex; align-items: center; gap: 20px; margin-top: 32px; border-top: 1px solid #e0d6c2; padding-top: 20px; font-size: 14px; color: #6b5b45; word-break: break-all; }
.verify svg { width: 140px; height: 140px; flex: none; }
@media print { body { background: #fff; } main { margin: 0 auto; } }
`;

/** Only this style may apply: the policy names its hash, so no injected style or script would run. */
export const CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

/** An instant as a Beijing calendar day, `2026年3月5日`. */
function beijingDay(instant: string): string {
  const day = new Date(Date.parse(instant) + 8 * 3_600_000);
  return `${day.getUTCFullYear()}年${day.getUTCMonth() + 1}月${day.getUTCDate()}日`;
}

const dayOf = (date: string): string => beijingDay(`${date}T00:00:00+08:00`);

const KIND: Record<VerifiedCertificate['kind'], string> = { SERVICE_RECORD: '志愿服务记录证明', HONOUR: '荣誉证书' };
const STATUS: Record<VerifiedCertificate['status'], string> = { VALID: '有效', REVOKED: '已撤销', UNDER_REVIEW: '复核中（所涉服务记录已更正，待管理员核实）' };

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The certificate's page: every line it states, its status, and the QR code of `verifyUrl`. */
export async function certificateHtml(certificate: VerifiedCertificate, verifyUrl: string): Promise<string> {
  const rows: [string, string][] = [
    ['证书编号', certificate.number],
    ['持证人', certificate.holderName],
  ];
  if (certificate.citation) rows.push(['事迹', certificate.citation]);
  if (certificate.periodFrom && certificate.periodTo) rows.push(['服务期间', `${dayOf(certificate.periodFrom)} 至 ${dayOf(certificate.periodTo)}`]);
  if (certificate.hours !== null) rows.push(['服务时长', `${certificate.hours} 小时`]);
  if (certificate.services !== null) rows.push(['服务次数', `${certificate.services} 次`]);
  rows.push(['颁发单位', certificate.issuer], ['颁发日期', beijingDay(certificate.issuedAt)]);
  const status = certificate.status === 'REVOKED' && certificate.revokedAt ? `${STATUS.REVOKED}（${beijingDay(certificate.revokedAt)}）` : STATUS[certificate.status];
  // Loaded on the first page rather than with the gateway: few requests are for a certificate's page.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toString(verifyUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const body = `<h1>${escapeHtml(certificate.title)}</h1>
<p class="kind">${escapeHtml(KIND[certificate.kind])}</p>
<dl>
${rows.map(([label, value]) => `<dt>${label}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}
<dt>状态</dt><dd class="status-${certificate.status}">${escapeHtml(status)}</dd>
</dl>
<div class="verify">${qr}<p>扫描二维码或访问以下地址，核验本证书的真实性与状态：<br>${escapeHtml(verifyUrl)}</p></div>`;
  return page(`${certificate.title} ${certificate.number}`, body);
}

function send(res: Response, status: number, html: string): void {
  res.status(status);
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', CERTIFICATE_PAGE_CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  // The status can change (a revocation): always ask again.
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

const notice = (heading: string, text: string): string => page(heading, `<h1>${escapeHtml(heading)}</h1>\n<p class="kind">${escapeHtml(text)}</p>`);

/** The number a path segment holds, upper-cased; empty when the segment is not valid percent-encoding. */
function decodedNumber(segment: string): string {
  try {
    return decodeURIComponent(segment).trim().toUpperCase();
  } catch {
    return '';
  }
}

/**
 * The route: `verify` asks the graph as an anonymous caller. Mounted after
 * the gateway's entrance (CORS, trace ids, the request log, authentication,
 * rate limits).
 */
export function certificatePageRoute(verify: (number: string, code: string, res: Response) => Promise<VerifyAnswer>, logger: Logger): RequestHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, notice('不支持的请求', '证书页面只能以 GET 打开。'));
      return;
    }
    // The path after the mount point: one segment, the number.
    const segment = req.path.replace(/^\//, '');
    const code = req.query['code'];
    const number = decodedNumber(segment);
    if (!NUMBER.test(number) || typeof code !== 'string' || !CODE.test(code.trim().toUpperCase())) {
      send(res, 400, notice('证书编号或核验码格式有误', '证书编号形如 LX-2026-000123，核验码为证书上印的 8 位字母数字。'));
      return;
    }
    const normalCode = code.trim().toUpperCase();
    const answer = await verify(number, normalCode, res).catch((error: unknown) => {
      logger.error({ err: error, traceId: res.locals['traceId'] as string }, 'certificate page: verification failed');
      return { unavailable: true } as const;
    });
    if ('unavailable' in answer) {
      send(res, 503, notice('暂时无法核验', '核验服务暂时不可用，请稍后再试。'));
      return;
    }
    if (!answer.certificate) {
      send(res, 404, notice('未找到证书', '没有与此编号和核验码相符的证书，请核对后重试。'));
      return;
    }
    const verifyUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${CERTIFICATE_PAGE_PATH}/${encodeURIComponent(number)}?code=${encodeURIComponent(normalCode)}`;
    send(res, 200, await certificateHtml(answer.certificate, verifyUrl));
  };
}
