/**
 * The words of a notification, from its kind and details: short Chinese
 * titles and one-sentence bodies, as a phone shows them. Written when read,
 * not stored, so a better wording reaches old notifications too.
 */
import type { NotificationRow } from '../db/schema.js';

const ALERT_KINDS: Record<string, string> = { call_button: '一键呼叫', inactivity: '长时间无活动' };

/** 2026-12-05T08:30:00Z → 12月5日 16:30 (Beijing time, where the service runs). */
function beijingTime(iso: string): string {
  const at = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${at.getUTCMonth() + 1}月${at.getUTCDate()}日 ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
}

export function notificationText(row: NotificationRow): { title: string; body: string } {
  const { details } = row;
  const category = details.categoryName ?? '服务';
  switch (row.kind) {
    case 'request_dispatched':
      return { title: `新的服务派单：${category}`, body: `有一项${category}需求派给了您或您的服务队，请尽快查看并接单。` };
    case 'request_accepted':
      return { title: `需求已接单：${category}`, body: `志愿者已接下您的${category}需求，将按约定时间上门。` };
    case 'request_started':
      return { title: `服务已开始：${category}`, body: `志愿者已开始为您提供${category}服务。` };
    case 'request_completed':
      return { title: `服务已完成：${category}`, body: `您的${category}服务已完成，欢迎为这次服务评价。` };
    case 'request_rated':
      return { title: `服务获得评价：${details.score ?? ''}星`, body: `您提供的服务获得了${details.score ?? ''}星评价，感谢您的付出。` };
    case 'quote_issued':
      return { title: `请确认报价：${category}`, body: `您的${category}需求已有报价，请查看并确认后开始服务。` };
    case 'alert_raised': {
      const kind = ALERT_KINDS[details.alertKind ?? ''] ?? '告警';
      return { title: `告警：${kind}`, body: `您包干的住户有一条${kind}告警，请立即联系或上门查看。` };
    }
    case 'points_deposited':
      return { title: `积分入账：${details.points ?? 0}分`, body: `您的服务积分${details.points ?? 0}分已存入时间银行存折。` };
    case 'hold_expiring':
      return {
        title: `积分冻结将到期：${details.points ?? 0}分`,
        body: details.expiresAt
          ? `商家冻结的${details.points ?? 0}分将于${beijingTime(details.expiresAt)}到期，未完成兑换将自动解冻。`
          : `商家冻结的${details.points ?? 0}分即将到期。`,
      };
    case 'badge_awarded':
      return { title: `获得徽章：${details.badgeName ?? ''}`, body: `恭喜您获得${details.badgeName ?? ''}！` };
  }
}
