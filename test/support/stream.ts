/** A client of the gateway's notification stream (server-sent events), as a front end reads it with fetch. */
import { expect } from '@jest/globals';

/** A notification as the stream's `event: notification` messages carry it. */
export interface StreamedNotification {
  id: string;
  kind: string;
  title: string;
  request: { id: string } | null;
}

export interface NotificationStream {
  /** Resolves with the first notification (from now on) for which `until` holds. */
  next(until: (notification: StreamedNotification) => boolean): Promise<StreamedNotification>;
  close(): void;
}

/** Opens `/notifications/stream` of the gateway at `graphUrl` as the bearer of `token`; it must answer 200 with an event stream. */
export async function openNotificationStream(graphUrl: string, token: string): Promise<NotificationStream> {
  const aborted = new AbortController();
  const response = await fetch(new URL('/notifications/stream', graphUrl), { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: aborted.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(until) {
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const data = lines.includes('event: notification') ? lines.find((line) => line.startsWith('data: ')) : undefined;
          if (data === undefined) continue;
          const notification = JSON.parse(data.slice('data: '.length)) as StreamedNotification;
          if (until(notification)) return notification;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += value;
      }
    },
    close: () => aborted.abort(),
  };
}
